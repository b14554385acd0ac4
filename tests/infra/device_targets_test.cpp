// The worker's targets from the config and the secrets file: credentials by reference, SSH
// timeouts, and profiles that apply to some platforms or devices only.

#include "infra/device_targets.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "domain/errors.hpp"
#include "support/temp_folder.hpp"

namespace netspine::infra {
namespace {

class DeviceTargetsTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Secrets> secrets() {
    const auto path = temp_.write("secrets.yaml", R"(credentials:
  dc-admin:
    - username: netops
      password: first-password
      enable: enable-secret
    - username: backup
      password: second-password
)");
    ::chmod(path.c_str(), 0600);
    return std::make_shared<const Secrets>(Secrets::load(path));
  }

  Config config(const std::string& text) { return loadConfig(temp_.write("netspine.yaml", text)); }

  static domain::Device device(std::string name, std::string platform, std::string credentials) {
    domain::Device d;
    d.name = std::move(name);
    d.platform = std::move(platform);
    d.credentialsRef = std::move(credentials);
    return d;
  }

  test::TempFolder temp_;
};

TEST_F(DeviceTargetsTest, CredentialsTimeoutsAndProfiles) {
  const auto cfg = config(R"(jobs:
  task_timeout: 3m
ssh:
  connect_timeout: 4s
  command_timeout: 30s
  device_timeout: 10m
  profiles:
    - platforms: [cisco_ios]
      kex: [diffie-hellman-group14-sha1]
      command_timeout: 90s
    - devices: [old-r1]
      host_key_algorithms: [ssh-rsa]
      host_key_policy: strict
)");
  const auto prepare = targetPreparer(cfg, secrets());

  plugin::DeviceTarget old;
  prepare(device("old-r1", "cisco_ios", "dc-admin"), old);
  ASSERT_EQ(old.credentials.size(), 2u);
  EXPECT_EQ(old.credentials[0].username, "netops");
  EXPECT_EQ(old.credentials[0].password.reveal(), "first-password");
  EXPECT_EQ(old.credentials[1].username, "backup");
  EXPECT_EQ(old.timeouts.connect, std::chrono::seconds(4));
  EXPECT_EQ(old.timeouts.command, std::chrono::seconds(90));  // the platform's profile
  EXPECT_EQ(old.timeouts.total, std::chrono::minutes(3));     // never past task_timeout
  EXPECT_EQ(old.attributes.at("ssh.kex"), "diffie-hellman-group14-sha1");
  EXPECT_EQ(old.attributes.at("ssh.hostkeys"), "ssh-rsa");
  EXPECT_EQ(old.attributes.at("ssh.host_key_policy"), "strict");

  // Another device of another platform gets none of the legacy options.
  plugin::DeviceTarget other;
  prepare(device("core1", "juniper_junos", ""), other);
  EXPECT_TRUE(other.credentials.empty());
  EXPECT_EQ(other.attributes.count("ssh.kex"), 0u);
  EXPECT_EQ(other.attributes.count("ssh.hostkeys"), 0u);
  EXPECT_EQ(other.attributes.at("ssh.host_key_policy"), "tofu");
  EXPECT_EQ(other.timeouts.command, std::chrono::seconds(30));
}

TEST_F(DeviceTargetsTest, AnUnknownCredentialSetNamesDeviceSetAndFile) {
  const auto prepare = targetPreparer(config("{}\n"), secrets());
  plugin::DeviceTarget target;
  try {
    prepare(device("r1", "cisco_ios", "lab-admin"), target);
    FAIL() << "no error for a missing credential set";
  } catch (const domain::ValidationError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("device 'r1': credentials 'lab-admin' are not in the secrets file"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("(it has: dc-admin)"), std::string::npos) << message;
    EXPECT_EQ(message.find("password"), std::string::npos) << message;
  }
}

TEST_F(DeviceTargetsTest, WithoutASecretsFileDevicesGetNoCredentials) {
  const auto prepare = targetPreparer(config("{}\n"), nullptr);
  plugin::DeviceTarget target;
  prepare(device("r1", "cisco_ios", "dc-admin"), target);
  EXPECT_TRUE(target.credentials.empty());
}

}  // namespace
}  // namespace netspine::infra
