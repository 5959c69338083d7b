// Everything of the Hetzner Cloud client.
#pragma once

#include "hcloud/actions.h"
#include "hcloud/client.h"
#include "hcloud/firewalls.h"
#include "hcloud/id_or_name.h"
#include "hcloud/images.h"
#include "hcloud/locations.h"
#include "hcloud/networks.h"
#include "hcloud/primary_ips.h"
#include "hcloud/server_types.h"
#include "hcloud/servers.h"
#include "hcloud/ssh_keys.h"
#include "hcloud/waiter.h"
