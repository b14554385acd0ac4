// The Git store of configuration backups, checked against the real git command line.

#include "infra/git_config_store.hpp"

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "domain/errors.hpp"
#include "support/shell.hpp"
#include "support/temp_folder.hpp"

namespace netspine::infra {
namespace {

using ConfigFile = GitConfigStore::ConfigFile;

using Run = test::ShellRun;

/// Runs `git -C repo <args>` and returns its exit status and output.
Run git(const std::string& repo, const std::string& args) {
  return test::runShell("git -C '" + repo + "' " + args);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

/// The diff from its first hunk on: what the store and git must agree on byte for byte.
std::string hunks(const std::string& diff) {
  const auto at = diff.find("@@");
  return at == std::string::npos ? std::string() : diff.substr(at);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class GitConfigStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(std::system("which git > /dev/null 2>&1"), 0) << "the tests need the git CLI";
  }

  std::optional<std::string> commit(GitConfigStore& store, std::vector<ConfigFile> files,
                                    const std::string& message = "backup") {
    return store.commit(files, "netspine", "netspine@example.net", message);
  }

  test::TempFolder folder;
  std::string repo = folder.path("backups");
};

const std::vector<ConfigFile> kThreeFiles = {
    {"emea/r1.cfg", "hostname r1\ninterface Gi0/1\n description uplink\n"},
    {"emea/ams1/r2.cfg", "hostname r2\n"},
    {"apac/r3.cfg", "hostname r3\n"},
};

TEST_F(GitConfigStoreTest, FirstCommitOfThreeFilesIsAGitCommitLikeAnyOther) {
  auto store = GitConfigStore::open(repo);
  const auto id = commit(store, kThreeFiles, "first backup");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->size(), 40u);

  const auto fsck = git(repo, "fsck --strict");
  EXPECT_EQ(fsck.status, 0) << fsck.output;
  EXPECT_EQ(trimmed(git(repo, "rev-parse HEAD").output), *id);
  const auto log = git(repo, "log --oneline -- emea/r1.cfg");
  EXPECT_EQ(log.status, 0) << log.output;
  EXPECT_EQ(trimmed(log.output), id->substr(0, 7) + " first backup");
  for (const auto& file : kThreeFiles) {
    const auto shown = git(repo, "show HEAD:" + file.path);
    EXPECT_EQ(shown.status, 0) << shown.output;
    EXPECT_EQ(shown.output, file.content) << file.path;
    EXPECT_EQ(readFile(repo + "/" + file.path), file.content) << "the working tree has it";
  }
  EXPECT_EQ(git(repo, "ls-tree -r --name-only HEAD").output,
            "apac/r3.cfg\nemea/ams1/r2.cfg\nemea/r1.cfg\n");
  const auto status = git(repo, "status --porcelain");
  EXPECT_EQ(status.status, 0);
  EXPECT_EQ(status.output, "") << "working tree and index match HEAD";
}

TEST_F(GitConfigStoreTest, UnchangedContentMakesNoCommit) {
  auto store = GitConfigStore::open(repo);
  const auto first = commit(store, kThreeFiles);
  ASSERT_TRUE(first);
  EXPECT_EQ(commit(store, kThreeFiles), std::nullopt);
  EXPECT_EQ(commit(store, {kThreeFiles[1]}), std::nullopt);
  EXPECT_EQ(commit(store, {}), std::nullopt);
  EXPECT_EQ(trimmed(git(repo, "rev-parse HEAD").output), *first);
  EXPECT_EQ(trimmed(git(repo, "rev-list --count HEAD").output), "1");
}

TEST_F(GitConfigStoreTest, OneChangedFileMakesOneCommitTouchingOnlyIt) {
  auto store = GitConfigStore::open(repo);
  ASSERT_TRUE(commit(store, kThreeFiles));
  auto files = kThreeFiles;
  files[1].content = "hostname r2\nntp server 192.0.2.1\n";
  const auto second = commit(store, files, "r2 changed");
  ASSERT_TRUE(second);
  EXPECT_EQ(trimmed(git(repo, "rev-list --count HEAD").output), "2");
  EXPECT_EQ(git(repo, "show --name-only --format= HEAD").output, "emea/ams1/r2.cfg\n");
  const auto stat = git(repo, "show --stat --format= HEAD").output;
  EXPECT_NE(stat.find("emea/ams1/r2.cfg"), std::string::npos) << stat;
  EXPECT_EQ(stat.find("r1.cfg"), std::string::npos) << stat;
  EXPECT_EQ(stat.find("r3.cfg"), std::string::npos) << stat;
  EXPECT_EQ(git(repo, "show HEAD:emea/ams1/r2.cfg").output, files[1].content);
  EXPECT_EQ(git(repo, "fsck --strict").status, 0);
  EXPECT_EQ(git(repo, "status --porcelain").output, "");
}

TEST_F(GitConfigStoreTest, ReadsAFileAtHeadAndAtEarlierRevisions) {
  auto store = GitConfigStore::open(repo);
  const auto first = commit(store, kThreeFiles);
  ASSERT_TRUE(first);
  const auto second = commit(store, {{"emea/r1.cfg", "hostname r1\n"}, {"new/r4.cfg", "r4\n"}});
  ASSERT_TRUE(second);

  EXPECT_EQ(store.read("emea/r1.cfg"), "hostname r1\n");
  EXPECT_EQ(store.read("emea/r1.cfg", "HEAD"), "hostname r1\n");
  EXPECT_EQ(store.read("emea/r1.cfg", "HEAD~1"), kThreeFiles[0].content);
  EXPECT_EQ(store.read("emea/r1.cfg", *first), kThreeFiles[0].content);
  EXPECT_EQ(store.read("emea/r1.cfg", first->substr(0, 8)), kThreeFiles[0].content);
  EXPECT_EQ(store.read("apac/r3.cfg", "HEAD"), "hostname r3\n") << "untouched files stay";
  EXPECT_EQ(store.read("new/r4.cfg", "HEAD"), "r4\n");
  EXPECT_EQ(store.read("new/r4.cfg", "HEAD~1"), std::nullopt) << "not there yet";
  EXPECT_EQ(store.read("emea/nothing.cfg"), std::nullopt);
  EXPECT_EQ(store.read("emea"), std::nullopt) << "a folder is no file";
}

TEST_F(GitConfigStoreTest, HistoryListsTheCommitsThatChangedAFileNewestFirst) {
  auto store = GitConfigStore::open(repo);
  const auto c1 = commit(store, kThreeFiles, "one");
  const auto c2 = commit(store, {{"emea/r1.cfg", "v2\n"}}, "two");
  const auto c3 = commit(store, {{"apac/r3.cfg", "v2\n"}}, "three");
  const auto c4 = commit(store, {{"emea/r1.cfg", "v3\n"}, {"apac/r3.cfg", "v2\n"}}, "four");
  ASSERT_TRUE(c1 && c2 && c3 && c4);

  const auto r1 = store.history("emea/r1.cfg");
  ASSERT_EQ(r1.size(), 3u);
  EXPECT_EQ(r1[0].id, *c4);
  EXPECT_EQ(r1[1].id, *c2);
  EXPECT_EQ(r1[2].id, *c1);
  EXPECT_EQ(r1[0].message, "four");

  const auto r2 = store.history("emea/ams1/r2.cfg");
  ASSERT_EQ(r2.size(), 1u) << "changed once";
  EXPECT_EQ(r2[0].id, *c1);

  const auto r3 = store.history("apac/r3.cfg");
  ASSERT_EQ(r3.size(), 2u) << "commit four left it as it was";
  EXPECT_EQ(r3[0].id, *c3);
  EXPECT_EQ(r3[1].id, *c1);

  const auto limited = store.history("emea/r1.cfg", 2);
  ASSERT_EQ(limited.size(), 2u);
  EXPECT_EQ(limited[0].id, *c4);
  EXPECT_EQ(limited[1].id, *c2);
  EXPECT_TRUE(store.history("emea/nothing.cfg").empty());

  // The same commits as git's own history of the file.
  std::string ids;
  for (const auto& info : r1) ids += info.id + "\n";
  EXPECT_EQ(git(repo, "log --format=%H -- emea/r1.cfg").output, ids);
}

TEST_F(GitConfigStoreTest, HistoryIsEmptyBeforeTheFirstCommit) {
  auto store = GitConfigStore::open(repo);
  EXPECT_TRUE(store.history("emea/r1.cfg").empty());
}

TEST_F(GitConfigStoreTest, DiffIsWhatGitDiffPrints) {
  auto store = GitConfigStore::open(repo);
  std::string before;
  for (int i = 1; i <= 30; ++i) before += "line " + std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("line 5\n"), 7, "line five\n");
  after.replace(after.find("line 25\n"), 8, "");
  after += "line 31\n";
  const auto from = commit(store, {{"emea/r1.cfg", before}, {"apac/r3.cfg", "x\n"}});
  const auto to = commit(store, {{"emea/r1.cfg", after}, {"apac/r3.cfg", "y\n"}});
  ASSERT_TRUE(from && to);

  const auto ours = store.diff("emea/r1.cfg", *from, *to);
  const auto theirs = git(repo, "diff " + *from + " " + *to + " -- emea/r1.cfg");
  ASSERT_EQ(theirs.status, 0) << theirs.output;
  EXPECT_NE(hunks(theirs.output), "");
  EXPECT_EQ(hunks(ours), hunks(theirs.output));
  EXPECT_EQ(ours.rfind("diff --git a/emea/r1.cfg b/emea/r1.cfg\n", 0), 0u) << ours;
  EXPECT_EQ(ours.find("apac/r3.cfg"), std::string::npos) << "only the file asked for";

  EXPECT_EQ(hunks(store.diff("emea/r1.cfg", "HEAD", "HEAD~1")),
            hunks(git(repo, "diff HEAD HEAD~1 -- emea/r1.cfg").output));
  EXPECT_EQ(store.diff("emea/r1.cfg", "HEAD", "HEAD"), "");
  EXPECT_EQ(store.diff("emea/ams1/r2.cfg", "HEAD~1", "HEAD"), "") << "not in either";
}

TEST_F(GitConfigStoreTest, DiffOfAnAddedFileIsAnAddition) {
  auto store = GitConfigStore::open(repo);
  ASSERT_TRUE(commit(store, {{"a.cfg", "a\n"}}));
  ASSERT_TRUE(commit(store, {{"b.cfg", "b1\nb2\n"}}));
  const auto ours = store.diff("b.cfg", "HEAD~1", "HEAD");
  EXPECT_EQ(hunks(ours), hunks(git(repo, "diff HEAD~1 HEAD -- b.cfg").output));
  EXPECT_EQ(hunks(ours), "@@ -0,0 +1,2 @@\n+b1\n+b2\n");
}

TEST_F(GitConfigStoreTest, BadPathsAreRefused) {
  auto store = GitConfigStore::open(repo);
  ASSERT_TRUE(commit(store, kThreeFiles));
  for (const std::string bad :
       {"../x", "/abs", "a//b", ".git/config", "a/.git/x", "", "a/", "./a", "a/../../b"}) {
    SCOPED_TRACE(bad);
    try {
      commit(store, {{"ok.cfg", "fine\n"}, {bad, "evil\n"}});
      ADD_FAILURE() << "commit accepted '" << bad << "'";
    } catch (const domain::ValidationError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + bad + "'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(store.read(bad), domain::ValidationError);
    EXPECT_THROW(store.history(bad), domain::ValidationError);
    EXPECT_THROW(store.diff(bad, "HEAD", "HEAD"), domain::ValidationError);
  }
  EXPECT_EQ(trimmed(git(repo, "rev-list --count HEAD").output), "1") << "nothing committed";
  EXPECT_FALSE(std::filesystem::exists(folder.path("x"))) << "nothing written outside";
  EXPECT_FALSE(std::filesystem::exists(repo + "/ok.cfg")) << "all or nothing";
  EXPECT_THROW(commit(store, {{"a.cfg", "1"}, {"a.cfg", "2"}}), domain::ValidationError);
}

TEST_F(GitConfigStoreTest, UnknownRevisionIsNotFound) {
  auto store = GitConfigStore::open(repo);
  EXPECT_THROW(store.read("emea/r1.cfg"), domain::NotFoundError) << "HEAD is unborn";
  ASSERT_TRUE(commit(store, kThreeFiles));
  EXPECT_THROW(store.read("emea/r1.cfg", "0123456789abcdef0123456789abcdef01234567"),
               domain::NotFoundError);
  EXPECT_THROW(store.read("emea/r1.cfg", "HEAD~1"), domain::NotFoundError);
  EXPECT_THROW(store.read("emea/r1.cfg", "no-such-branch"), domain::NotFoundError);
  EXPECT_THROW(store.read("emea/r1.cfg", "HEAD:emea/r1.cfg"), domain::NotFoundError)
      << "a blob is no commit";
  EXPECT_THROW(store.diff("emea/r1.cfg", "HEAD", "HEAD~3"), domain::NotFoundError);
}

TEST_F(GitConfigStoreTest, RecordsTheAuthorAndTheMessage) {
  auto store = GitConfigStore::open(repo);
  const auto id =
      store.commit(kThreeFiles, "Backup Robot", "robot@example.net", "Nightly backup\n\nrun 42");
  ASSERT_TRUE(id);
  const auto history = store.history("emea/r1.cfg");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].author, "Backup Robot");
  EXPECT_EQ(history[0].email, "robot@example.net");
  EXPECT_EQ(history[0].message, "Nightly backup\n\nrun 42");
  EXPECT_GT(history[0].time, 1'600'000'000);
  EXPECT_EQ(trimmed(git(repo, "log -1 '--format=%an|%ae|%cn|%ce|%s|%b'").output),
            "Backup Robot|robot@example.net|Backup Robot|robot@example.net|Nightly backup|run 42");
  EXPECT_EQ(std::to_string(history[0].time), trimmed(git(repo, "log -1 --format=%at").output));
  EXPECT_THROW(store.commit(kThreeFiles, "", "a@b", "m"), domain::ValidationError);
  EXPECT_THROW(store.commit(kThreeFiles, "a", "a@b", ""), domain::ValidationError);
}

TEST_F(GitConfigStoreTest, ReopensAnExistingRepositoryAndNeverOneAbove) {
  {
    auto store = GitConfigStore::open(repo);
    ASSERT_TRUE(commit(store, kThreeFiles));
  }
  auto again = GitConfigStore::open(repo);
  EXPECT_EQ(again.read("apac/r3.cfg"), "hostname r3\n");
  EXPECT_EQ(again.history("apac/r3.cfg").size(), 1u);

  // A folder inside a repository gets a repository of its own.
  const std::string inner = repo + "/emea/inner";
  auto nested = GitConfigStore::open(inner);
  EXPECT_TRUE(std::filesystem::exists(inner + "/.git"));
  EXPECT_THROW(nested.read("apac/r3.cfg"), domain::NotFoundError) << "unborn, not the outer";
}

/// Commits `rounds` versions of `file` from their own thread, through `store`.
void commitRounds(GitConfigStore& store, const std::string& file, int rounds,
                  std::vector<std::string>& errors) {
  for (int i = 0; i < rounds; ++i) {
    try {
      const auto id =
          store.commit({{file, file + " version " + std::to_string(i) + "\n"}}, "netspine",
                       "netspine@example.net", file + " round " + std::to_string(i));
      if (!id) errors.push_back(file + ": no commit in round " + std::to_string(i));
    } catch (const std::exception& e) {
      errors.push_back(file + ": " + e.what());
    }
  }
}

/// Two threads commit 20 versions each of their own file through `first` and `second`.
void expectTwoWritersLoseNothing(const std::string& repo, GitConfigStore& first,
                                 GitConfigStore& second) {
  std::vector<std::string> errorsA, errorsB;
  std::thread a([&] { commitRounds(first, "a/r1.cfg", 20, errorsA); });
  std::thread b([&] { commitRounds(second, "b/r2.cfg", 20, errorsB); });
  a.join();
  b.join();
  EXPECT_TRUE(errorsA.empty()) << errorsA.front();
  EXPECT_TRUE(errorsB.empty()) << errorsB.front();
  EXPECT_EQ(trimmed(git(repo, "rev-list --count HEAD").output), "40");
  const auto fsck = git(repo, "fsck --strict");
  EXPECT_EQ(fsck.status, 0) << fsck.output;
  EXPECT_EQ(first.history("b/r2.cfg").size(), 20u);
  EXPECT_EQ(second.history("a/r1.cfg").size(), 20u);
  EXPECT_EQ(first.read("a/r1.cfg"), "a/r1.cfg version 19\n");
  EXPECT_EQ(second.read("b/r2.cfg"), "b/r2.cfg version 19\n");
  EXPECT_EQ(git(repo, "status --porcelain").output, "");
}

TEST_F(GitConfigStoreTest, TwoThreadsCommittingLoseNothing) {
  auto store = GitConfigStore::open(repo);
  expectTwoWritersLoseNothing(repo, store, store);
}

TEST_F(GitConfigStoreTest, TwoStoresOnOneRepositoryTakeTurnsByTheLockFile) {
  // Two handles share no mutex: only the flock on .git/netspine.lock keeps them apart, as it
  // keeps two processes apart.
  auto first = GitConfigStore::open(repo);
  auto second = GitConfigStore::open(repo);
  expectTwoWritersLoseNothing(repo, first, second);
  EXPECT_TRUE(std::filesystem::exists(repo + "/.git/netspine.lock"));
}

}  // namespace
}  // namespace netspine::infra
