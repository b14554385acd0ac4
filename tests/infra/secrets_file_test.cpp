// The secrets file: credential sets by name, located errors, never a secret in a message.

#include "infra/secrets_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "domain/errors.hpp"
#include "support/temp_folder.hpp"

namespace netspine::infra {
namespace {

class SecretsFileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text, mode_t mode = 0600) {
    const auto path = temp_.write("secrets.yaml", text);
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string error(const std::string& text, mode_t mode = 0600) {
    try {
      Secrets::load(write(text, mode));
    } catch (const domain::ValidationError& e) {
      return e.what();
    }
    return "loaded";
  }
  test::TempFolder temp_;
};

TEST_F(SecretsFileTest, SetsAreListsTriedInOrder) {
  const auto path = write(R"(credentials:
  dc-admin:
    - username: netops
      password: "s3cret-one"
      enable: "en-able"
    - username: backup
      private_key: keys/backup
      passphrase: "pp"
  snmp-ro:
    - snmp_community: "c0mmunity"
)");
  const auto secrets = Secrets::load(path);
  EXPECT_EQ(secrets.names(), (std::vector<std::string>{"dc-admin", "snmp-ro"}));
  const auto* admin = secrets.find("dc-admin");
  ASSERT_NE(admin, nullptr);
  ASSERT_EQ(admin->size(), 2u);
  EXPECT_EQ((*admin)[0].name, "dc-admin");
  EXPECT_EQ((*admin)[0].username, "netops");
  EXPECT_EQ((*admin)[0].password.reveal(), "s3cret-one");
  EXPECT_EQ((*admin)[0].enableSecret.reveal(), "en-able");
  EXPECT_EQ((*admin)[1].privateKeyPath, temp_.path("keys/backup"));
  EXPECT_EQ((*admin)[1].privateKeyPassphrase.reveal(), "pp");
  EXPECT_EQ(secrets.find("snmp-ro")->at(0).snmpCommunity.reveal(), "c0mmunity");
  EXPECT_EQ(secrets.find("nope"), nullptr);
}

TEST_F(SecretsFileTest, AFileOthersMayReadIsRefused) {
  const auto message = error("credentials: {}\n", 0644);
  EXPECT_NE(message.find("mode 0644 lets group or others read it"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
}

TEST_F(SecretsFileTest, ProblemsAreLocatedAndNeverShowASecret) {
  const auto message = error(R"(credentials:
  a:
    - username: u
      pasword: "TOPSECRET-1"
  b: []
  c:
    - password: "TOPSECRET-2"
  d:
    - username: nopass
tokens: x
)");
  EXPECT_NE(message.find("secrets.yaml:4: unknown key 'credentials.a[0].pasword' (did you mean "
                         "'credentials.a[0].password'?)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("secrets.yaml:5: credentials.b: an empty list"), std::string::npos)
      << message;
  EXPECT_NE(message.find("secrets.yaml:7: credentials.c[0]: needs a username"), std::string::npos)
      << message;
  EXPECT_NE(message.find("credentials.d[0]: user 'nopass' has neither a password nor a "
                         "private_key"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("secrets.yaml:10: unknown key 'tokens'"), std::string::npos) << message;
  EXPECT_EQ(message.find("TOPSECRET"), std::string::npos) << message;
}

TEST_F(SecretsFileTest, AMissingFileIsNamed) {
  try {
    Secrets::load(temp_.path("absent.yaml"));
    FAIL() << "loaded a file that does not exist";
  } catch (const domain::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("absent.yaml"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace netspine::infra
