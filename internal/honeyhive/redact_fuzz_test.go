package honeyhive

import (
	"strings"
	"testing"
)

// FuzzRedactURL: whatever the user name, password, host and the rest of a
// server_url hold, neither RedactURL nor the configuration error shows any
// character of the password. The password is wrapped in "~", which no other
// part holds, so that any piece of it is seen.
func FuzzRedactURL(f *testing.F) {
	for _, seed := range [][4]string{
		{"alice", "s3cr3t", "api.example.test", ""},
		{"", "token", "api.example.test", "/v1"},
		{"alice", "pa?ss", "api.example.test", ""},           // does not parse: the port would read "pa"
		{"alice", "p@ss/w#rd", "api.example.test:99", "/v1"}, // "@", "/" and "#" in the password
		{"alice", "s3cr3t", "api.example.test", ":bad"},
		{"alice", "s3cr3t", "ho st", "?q=1"},
		{"al ice", "s3cr3t", "", ""},
		{"alice", "s3cr3t", "[::1", "]"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, user, password, host, rest string) {
		strip := func(s string) string { return strings.NewReplacer("~", "", "@", "").Replace(s) }
		user, host, rest = strings.ReplaceAll(user, "~", ""), strip(host), strip(rest)
		password = "~" + strings.ReplaceAll(password, "~", "") + "~"
		raw := "https://" + user + ":" + password + "@" + host + rest
		shown := RedactURL(raw)
		if strings.Contains(shown, "~") {
			t.Fatalf("RedactURL(%q) = %q shows the password", raw, shown)
		}
		if again := RedactURL(shown); again != shown {
			t.Fatalf("RedactURL is not idempotent: %q, then %q", shown, again)
		}
		_, err := normalizeServerURL(raw, EnvAPIURL, testNames)
		if err == nil {
			t.Fatalf("%q accepted", raw)
		}
		if strings.Contains(err.Error(), "~") {
			t.Fatalf("the error for %q shows the password: %v", raw, err)
		}
	})
}
