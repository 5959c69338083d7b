// What shell and shell-local hand to scripts about the build: Packer's
// environment variables (PACKER_BUILD_NAME, PACKER_BUILDER_TYPE,
// PACKER_HTTP_*) merged with environment_vars and env, flattened with
// env_var_format; and the data Go templates see.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/plugin.h"
#include "provisioners/gotemplate.h"

namespace kiln::prov {

// The SDK's escapeEnvVars: Packer's variables, then environment_vars
// ("K=V"), then env (which wins); every ' in a value becomes '"'"' so the
// value survives single quotes. std::map keeps keys sorted, as Packer does.
std::map<std::string, std::string> packer_env(const engine::BuildInfo& info,
                                              const std::vector<std::string>& environment_vars,
                                              const std::map<std::string, std::string>& env);

// Each key/value through fmt.Sprintf(format, key, value), concatenated.
std::string flatten_env(const std::map<std::string, std::string>& vars, const std::string& format);

// fmt.Sprintf with only %s verbs (and %%): the args in order; a missing
// arg renders as Go does, "%!s(MISSING)".
std::string go_sprintf_s(const std::string& format, const std::vector<std::string>& args);

// Template data for a build: BuildName, BuilderType fields, build `X`.
TemplateData template_data(const engine::BuildInfo& info);

}  // namespace kiln::prov
