#include <netspine/plugin/text.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netspine::plugin {
namespace {

TEST(StripAnsi, RemovesCsiSequencesOfEveryShape) {
  EXPECT_EQ(stripAnsi("\x1b[1;32mrouter1#\x1b[0m"), "router1#");
  EXPECT_EQ(stripAnsi("a\x1b[?2004hb\x1b[Kc\x1b[2Jd"), "abcd");
  EXPECT_EQ(stripAnsi("x\x1b[38;5;208my"), "xy");
}

TEST(StripAnsi, RemovesOscTitlesEndedByBelOrStringTerminator) {
  EXPECT_EQ(stripAnsi("\x1b]0;leaf1: admin\x07leaf1#"), "leaf1#");
  EXPECT_EQ(stripAnsi("\x1b]2;title\x1b\\prompt>"), "prompt>");
}

TEST(StripAnsi, RemovesCharsetSelectsAndTwoByteEscapes) {
  EXPECT_EQ(stripAnsi("\x1b(Bab\x1b)0c\x1b=d\x1b>e\x1b"
                      "7f\x1b"
                      "8"),
            "abcdef");
}

TEST(StripAnsi, DropsASequenceCutAtTheEnd) {
  EXPECT_EQ(stripAnsi("done\x1b[3"), "done");
  EXPECT_EQ(stripAnsi("done\x1b"), "done");
  EXPECT_EQ(stripAnsi("done\x1b]0;never ended"), "done");
}

TEST(StripAnsi, LeavesPlainTextAndUtf8Alone) {
  const std::string text = "interface Gi1/0/1\n description caf\xc3\xa9 [a] (b)\n";
  EXPECT_EQ(stripAnsi(text), text);
}

TEST(CleanTerminalText, TurnsCrLfIntoLf) {
  EXPECT_EQ(cleanTerminalText("a\r\nb\r\n"), "a\nb\n");
  EXPECT_EQ(cleanTerminalText("a\r\r\nb"), "a\nb");
}

TEST(CleanTerminalText, LoneCarriageReturnOverwritesThePagerMarker) {
  // IOS erases " --More-- " by going back to column 0 and writing blanks over it.
  EXPECT_EQ(cleanTerminalText(" --More-- \r          \r interface Gi1\n"), " interface Gi1\n");
  EXPECT_EQ(cleanTerminalText("abcdef\rXY\n"), "XYcdef\n");
}

TEST(CleanTerminalText, BackspacesMoveTheCursorBack) {
  EXPECT_EQ(cleanTerminalText("---(more)---\b\b\b\b\b\b\b\b\b\b\b\b            \b\b\b\b\b\b\b\b\b\b"
                              "\b\bset x\n"),
            "set x\n");
  EXPECT_EQ(cleanTerminalText("ab\bc\n"), "ac\n");
}

TEST(CleanTerminalText, KeepsTrailingBlanksOfLinesNothingRewrote) {
  EXPECT_EQ(cleanTerminalText("router1# "), "router1# ");
  EXPECT_EQ(cleanTerminalText("\x1b[1mleaf1#\x1b[0m \x07"), "leaf1# ");
}

TEST(SplitLines, SplitsWithoutAnEmptyLastLine) {
  EXPECT_EQ(splitLines("a\nb\n"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(splitLines("a\n\nb"), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_TRUE(splitLines("").empty());
}

TEST(TrimBlankLines, DropsBlankLinesAtBothEndsOnly) {
  std::vector<std::string> lines{"", "  ", "a", "", "b", " \t"};
  trimBlankLines(lines);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(joinLines(lines), "a\n\nb\n");
}

TEST(TopLevelBlocks, GroupsIndentedLinesUnderTheirStatement) {
  const auto blocks = topLevelBlocks(
      "!\nhostname r1\ninterface Gi1\n description x\n shutdown\n!\nrouter bgp 1\n neighbor a\n");
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].header, "hostname r1");
  EXPECT_TRUE(blocks[0].children.empty());
  EXPECT_EQ(blocks[1].header, "interface Gi1");
  EXPECT_EQ(blocks[1].children, (std::vector<std::string_view>{" description x", " shutdown"}));
  EXPECT_EQ(blocks[2].children, (std::vector<std::string_view>{" neighbor a"}));
}

TEST(RequiredLiteral, FindsTheLongestLiteralOutsideGroups) {
  EXPECT_EQ(requiredLiteral(R"(^enable (?:secret|password) (\S+))"), "enable ");
  EXPECT_EQ(requiredLiteral(R"(^! Last configuration change at )"),
            "! Last configuration change at ");
  EXPECT_EQ(requiredLiteral(R"(^Building configuration\.\.\.)"), "Building configuration...");
}

TEST(RequiredLiteral, LooksInsideAGroupThatMustOccur) {
  EXPECT_EQ(requiredLiteral(R"((\$9\$[^";\s]+))"), "$9$");
  EXPECT_EQ(requiredLiteral(R"((\$[156]\$[^";\s]+))"), "$");
  EXPECT_EQ(requiredLiteral(R"re(x(?:key "([^"]+)")+)re"), "key \"");
  EXPECT_EQ(requiredLiteral(R"(a(?:longer literal)?)"), "a");  // optional group
  EXPECT_EQ(requiredLiteral(R"(a(?:longer literal)*)"), "a");
  EXPECT_EQ(requiredLiteral(R"(a(?:longer|literal))"), "a");  // an alternative inside
  EXPECT_EQ(requiredLiteral(R"(a(?=longer literal))"), "a");  // a lookahead
  EXPECT_EQ(requiredLiteral(R"(a(?!longer literal))"), "a");
}

TEST(RequiredLiteral, DropsACharacterAQuantifierMakesOptional) {
  EXPECT_EQ(requiredLiteral("abcd?"), "abc");
  EXPECT_EQ(requiredLiteral("abcd*x"), "abc");
  EXPECT_EQ(requiredLiteral("abcd{0,3}"), "abc");
  EXPECT_EQ(requiredLiteral("abcd+"), "abcd");
  EXPECT_EQ(requiredLiteral(R"(ab\.?cde)"), "cde");
}

TEST(RequiredLiteral, GivesNothingForTopLevelAlternativesOrClassesOnly) {
  EXPECT_EQ(requiredLiteral("secret|password"), "");
  EXPECT_EQ(requiredLiteral(R"(^\s*\S+$)"), "");
  EXPECT_EQ(requiredLiteral(R"([abc]+(?:x|y))"), "");
}

TEST(RequiredLiteral, EveryLiteralFoundIsInEveryMatch) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"(^username \S+ .*?\b(?:secret|password)(?: \d)? (\S+))",
       "username admin privilege 15 secret 9 $9$x"},
      {R"(\bkey(?:-string)? 7 (\S+))", " standby 1 authentication md5 key-string 7 0822"},
      {R"re("([^"]*)";\s*## SECRET-DATA)re", R"(secret "$9$abc"; ## SECRET-DATA)"},
      {R"(^\s+key ((?!\d )(?!\d+\s*$)\S+))", " key PlainKey"},
      {R"((\$9\$[^";\s]+))", R"(authentication-key "$9$Ab1.Cd2"; ## SECRET-DATA)"},
      {R"re(x(?:key "([^"]+)")+)re", R"re(xkey "a"key "b")re"},
  };
  for (const auto& [pattern, line] : cases) {
    ASSERT_TRUE(std::regex_search(line, std::regex(pattern))) << pattern;
    EXPECT_NE(line.find(requiredLiteral(pattern)), std::string::npos) << pattern;
  }
}

TEST(HasTopLevelAlternative, SeesOnlyAlternativesOutsideGroupsClassesAndEscapes) {
  EXPECT_TRUE(hasTopLevelAlternative("^a|b"));
  EXPECT_FALSE(hasTopLevelAlternative("^(?:a|b)c"));
  EXPECT_FALSE(hasTopLevelAlternative("^[|]x"));
  EXPECT_FALSE(hasTopLevelAlternative(R"(^a\|b)"));
}

TEST(LineRules, AnchoredRulesMatchAtTheStartOnlyAndAlternativesStayUnanchored) {
  const LineRules rules({{"anchored", R"(^key (\S+))", 1}, {"either", R"(^ab|cd)"}});
  EXPECT_EQ(rules.maskCaptured("key x", "<m>").value(), "key <m>");
  EXPECT_FALSE(rules.maskCaptured(" key x", "<m>").has_value());
  EXPECT_TRUE(rules.matchesWholeLine("xx cd"));
  EXPECT_FALSE(rules.matchesWholeLine("xx ab"));
}

TEST(LineRules, FirstMatchFollowsDeclarationOrder) {
  const LineRules rules({{"specific", R"(^% Invalid input detected)"}, {"any percent", R"(^% )"}});
  const auto* rule = rules.firstMatch("% Invalid input detected at '^' marker.");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->name, "specific");
  EXPECT_EQ(rules.firstMatch("% Incomplete command.")->name, "any percent");
  EXPECT_EQ(rules.firstMatch("interface Gi1"), nullptr);
}

TEST(LineRules, MasksEveryMatchOfEveryRuleOnce) {
  const LineRules rules({{"a", R"(pw (\S+))", 1}, {"b", R"(key (\S+))", 1}});
  EXPECT_EQ(rules.maskCaptured("x pw one key two pw three", "<m>").value(),
            "x pw <m> key <m> pw <m>");
  EXPECT_FALSE(rules.maskCaptured("nothing here", "<m>").has_value());
}

TEST(LineRules, OverlappingCapturesAreMergedIntoOneMask) {
  const LineRules rules({{"wide", R"(key (\S+ \S+))", 1}, {"narrow", R"(key \S+ (\S+))", 1}});
  EXPECT_EQ(rules.maskCaptured("key 7 ABCDEF", "<m>").value(), "key <m>");
}

TEST(LineRules, MaskingTwiceChangesNothing) {
  const LineRules rules({{"community", R"(^snmp-server community (\S+))", 1}});
  const auto once = rules.maskCaptured("snmp-server community public RO", kSecretMask).value();
  EXPECT_EQ(once, "snmp-server community <secret hidden> RO");
  EXPECT_EQ(rules.maskCaptured(once, kSecretMask).value(), once);
}

TEST(LineRules, WholeLineRulesAreTheGroupZeroOnes) {
  const LineRules rules({{"drop", R"(^ntp clock-period )"}, {"part", R"(uptime is (.+))", 1}});
  EXPECT_TRUE(rules.matchesWholeLine("ntp clock-period 17179"));
  EXPECT_FALSE(rules.matchesWholeLine("r1 uptime is 1 week"));
  EXPECT_TRUE(rules.matches("r1 uptime is 1 week"));
}

TEST(LineRules, AHugeLineIsMatchedOnItsStartWithoutBlowingTheStack) {
  const LineRules rules({{"secret", R"(^secret ([^"]*))", 1}});
  const std::string line = "secret " + std::string(2'000'000, 'x');
  const auto masked = rules.maskCaptured(line, "<m>");
  ASSERT_TRUE(masked.has_value());
  EXPECT_TRUE(masked->starts_with("secret <m>x"));  // matched on its start, kept whole
  EXPECT_EQ(masked->size(), line.size() - (kMaxMatchedLineLength - 7) + 3);
}

TEST(Prompts, CompiledPatternIsAnchoredAtTheEnd) {
  const auto prompt = compilePrompt(R"((?:^|\n)[\w.-]+# ?)");
  EXPECT_TRUE(endsWithPrompt(prompt, "banner\nrouter1# "));
  EXPECT_FALSE(endsWithPrompt(prompt, "router1#\nshow version output"));
  EXPECT_FALSE(endsWithPrompt(prompt, "banner text ending in a hash #"));
}

TEST(Prompts, OnlyTheTailOfALongOutputIsSearched) {
  const auto prompt = compilePrompt(R"((?:^|\n)[\w.-]+# ?)");
  const std::string output = std::string(100'000, 'a') + "\n" + std::string(600, 'b') + "\nr1#";
  EXPECT_TRUE(endsWithPrompt(prompt, output));
  // A last line longer than the tail is no prompt: it cannot be the start of a line.
  EXPECT_FALSE(endsWithPrompt(prompt, "\n" + std::string(600, 'r') + "#"));
}

TEST(FirstCapture, ReturnsTheGroupOfTheFirstMatchingLine) {
  const std::regex serial(R"(^Processor board ID (\S+))");
  EXPECT_EQ(firstCapture("a\nProcessor board ID FOC1\nProcessor board ID FOC2\n", serial), "FOC1");
  EXPECT_EQ(firstCapture("nothing\n", serial), "");
}

}  // namespace
}  // namespace netspine::plugin
