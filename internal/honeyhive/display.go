package honeyhive

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// What the client puts in front of people (errors, warnings, logs) of what
// the user configured or the server sent: never a credential, never a whole
// megabyte.

// ServerTextLimit is the most characters of a server's free text (a run's
// error, a server message) that a diagnostic quotes; the rest is replaced by
// a note of how many characters were left out. A response body's excerpt is
// shorter still (200 characters).
const ServerTextLimit = 300

// maxClipMark is the most characters clip adds after the kept text: the "…"
// and the count of the characters left out.
const maxClipMark = len(" (9,999,999,999,999 more characters)") + 1

// ServerText is a server's text (a run's error, a status, a metric name) as
// a diagnostic quotes it: cut to ServerTextLimit characters.
func ServerText(s string) string {
	return clip(s, ServerTextLimit)
}

// clipMore is clip for text that is itself an excerpt: more is how many
// characters of the source were already left out before s.
func clipMore(s string, n, more int) string {
	count := utf8.RuneCountInString(s)
	if count <= n && more == 0 {
		return s
	}
	kept := s
	if count > n {
		i := 0
		for k := range s {
			if i == n {
				kept = s[:k]
				break
			}
			i++
		}
	}
	dropped := count - utf8.RuneCountInString(kept) + more
	kept = strings.TrimSpace(kept)
	return kept + "… (" + groupDigits(dropped) + " more " + pluralWord(dropped, "character") + ")"
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// groupDigits writes n with commas between thousands: 1,048,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// RedactURL returns rawURL fit to show: its user information (user name and
// password) and everything after its first "?" or "#" (query and fragment)
// replaced by "[redacted]". It reads the text, not a parsed URL, so that a
// value that does not parse is redacted too, and conservatively: everything
// between "://" (or the start of the text, without one) and the last "@" is
// user information, since a password may hold any character, "/", "?" and
// "#" included. A URL without those parts is returned as it is.
func RedactURL(rawURL string) string {
	s := rawURL
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + len("://")
	}
	if at := strings.LastIndex(s[start:], "@"); at >= 0 {
		s = s[:start] + redactedMark + s[start+at:]
	}
	if i := strings.IndexAny(s[start:], "?#"); i >= 0 {
		i += start
		if i+1 < len(s) {
			s = s[:i+1] + redactedMark
		}
	}
	return s
}

// clipError keeps err (and its chain) but cuts its text as clip does: a
// decoding error may quote a value of the body, which the server chose.
func clipError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if short := clip(msg, ServerTextLimit); short != msg {
		return &redactedError{msg: short, err: err}
	}
	return err
}
