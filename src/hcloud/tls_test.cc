// TLS verification: the transport checks the server's certificate against
// the system's CAs (or the configured CA file) and the host name; it never
// talks to a server it cannot verify, and does not retry such a failure.
#include <gtest/gtest.h>

#include <unistd.h>

#include "hcloud/hcloud.h"
#include "hcloud/tls_test_server.h"

namespace hcloud {
namespace {

using testing::TlsTestServer;

constexpr const char* kBody =
    R"({"servers":[],"meta":{"pagination":{"page":1,"per_page":50,"previous_page":null,)"
    R"("next_page":null,"last_page":1,"total_entries":0}}})";

ClientOptions tls_options(const TlsTestServer& server) {
  ClientOptions o;
  o.endpoint = server.endpoint();
  o.token = "tls-test-token";
  o.clock = std::make_shared<FakeClock>();
  o.logger = std::make_shared<Logger>();
  o.seed = 7;
  o.connect_timeout = Duration(2000);
  o.request_timeout = Duration(5000);
  return o;
}

TEST(Tls, SelfSignedCertificateIsRefusedByDefaultWithAClearError) {
  TlsTestServer server(kBody);
  ASSERT_TRUE(server.ok()) << server.error();
  Client client(tls_options(server));
  auto r = client.servers().list();
  ASSERT_FALSE(r.ok());
  const Error& e = r.error();
  EXPECT_EQ(e.kind, ErrorKind::kNetwork);
  EXPECT_EQ(e.code, "tls_verification_failed");
  EXPECT_FALSE(e.outcome_unknown);
  EXPECT_EQ(e.attempts, 1);  // a certificate does not get better by asking again
  EXPECT_NE(e.to_string().find("could not be verified"), std::string::npos) << e.to_string();
  EXPECT_NE(e.to_string().find(server.endpoint()), std::string::npos) << e.to_string();
  EXPECT_NE(e.to_string().find("GET /servers"), std::string::npos) << e.to_string();
  EXPECT_EQ(server.answered(), 0);
}

TEST(Tls, RefusedCreateIsNotReconciledOrResent) {
  TlsTestServer server(kBody);
  ASSERT_TRUE(server.ok()) << server.error();
  Client client(tls_options(server));
  auto r = client.ssh_keys().create({.name = "k", .public_key = "ssh-ed25519 AAAA", .labels = {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "tls_verification_failed");
  EXPECT_EQ(server.answered(), 0);
}

TEST(Tls, AcceptedWhenGivenItsCa) {
  TlsTestServer server(kBody);
  ASSERT_TRUE(server.ok()) << server.error();
  ASSERT_EQ(::access(server.ca_file().c_str(), R_OK), 0);
  ClientOptions o = tls_options(server);
  o.ca_file = server.ca_file();
  Client client(o);
  auto r = client.servers().list();
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r.value().empty());
  auto again = client.servers().list();  // the verified connection is reused
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(server.answered(), 2);
  EXPECT_EQ(server.failed_handshakes(), 0);
}

TEST(Tls, HostNameIsCheckedEvenWithTheRightCa) {
  // The certificate names 127.0.0.1 only; "localhost" reaches the same
  // server but does not match it.
  TlsTestServer server(kBody);
  ASSERT_TRUE(server.ok()) << server.error();
  ClientOptions o = tls_options(server);
  o.ca_file = server.ca_file();
  std::string ep = server.endpoint();
  o.endpoint = "https://localhost" + ep.substr(std::string("https://127.0.0.1").size());
  Client client(o);
  auto r = client.servers().list();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "tls_verification_failed") << r.error().to_string();
  EXPECT_EQ(server.answered(), 0);
}

TEST(Tls, MissingCaFileIsAClearErrorNotASilentFallback) {
  TlsTestServer server(kBody);
  ASSERT_TRUE(server.ok()) << server.error();
  ClientOptions o = tls_options(server);
  o.ca_file = server.ca_file() + ".does-not-exist";
  Client client(o);
  auto r = client.servers().list();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "tls_verification_failed") << r.error().to_string();
  EXPECT_NE(r.error().message.find(o.ca_file), std::string::npos) << r.error().message;
  EXPECT_EQ(server.answered(), 0);
}

}  // namespace
}  // namespace hcloud
