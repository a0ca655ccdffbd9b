package auth

import "testing"

func TestHashAndVerifyPassword(t *testing.T) {
	h, err := HashPassword("Correct-Horse1")
	if err != nil {
		t.Fatal(err)
	}
	if !VerifyPassword(h, "Correct-Horse1") {
		t.Fatal("right password refused")
	}
	if VerifyPassword(h, "correct-Horse1") {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("Correct-Horse1")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=1,t=1,p=1$$", "$bcrypt$x$y$z$w"} {
		if VerifyPassword(bad, "") {
			t.Fatalf("malformed hash %q matched", bad)
		}
	}
}

func TestCheckPasswordNamesTheBrokenRule(t *testing.T) {
	cases := []struct {
		pw    string
		suite bool
		rule  string
	}{
		{"", true, RuleEmpty},
		{"Ab1-", true, RuleTooShort},
		{"ABCDEFG1-", true, RuleLowercase},
		{"abcdefg1-", true, RuleUppercase},
		{"Abcdefgh-", true, RuleDigit},
		{"Abcdefgh1", true, RuleSpecial},
		{"Abcdefgh1*", true, RuleSpecial}, // * is not one of the accepted specials
		{"Abcdefgh1~", true, ""},
		{"Abcdefgh1{", true, ""},
		{"abc", false, ""}, // suite off: anything non-empty
		{"", false, RuleEmpty},
		{string(make([]byte, 300)), false, RuleTooLong},
	}
	for _, c := range cases {
		if got, _ := CheckPassword(c.pw, c.suite); got != c.rule {
			t.Errorf("CheckPassword(%q, suite=%v) = %q, want %q", c.pw, c.suite, got, c.rule)
		}
	}
}

func TestGeneratedPasswordsPassThePolicy(t *testing.T) {
	for i := 0; i < 50; i++ {
		if rule, _ := CheckPassword(GeneratePassword(), true); rule != "" {
			t.Fatalf("generated password breaks %s", rule)
		}
	}
}
