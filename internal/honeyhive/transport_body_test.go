package honeyhive

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// readBody reads what the server sent, up to one byte past the limit, into
// one buffer when the length is announced, and reports a body cut short.
func TestReadBody(t *testing.T) {
	for _, tc := range []struct {
		name          string
		body          string
		length, limit int64
		want          string
		wantErr       error
		wantCap       int // 0: not checked
	}{
		{name: "announced", body: "0123456789", length: 10, limit: 100, want: "0123456789", wantCap: 10},
		{name: "announced, at the limit", body: "0123456789", length: 10, limit: 10, want: "0123456789", wantCap: 10},
		{name: "not announced", body: "0123456789", length: -1, limit: 100, want: "0123456789"},
		{name: "not announced, over the limit", body: "0123456789", length: -1, limit: 4, want: "01234"},
		{name: "announced over the limit", body: "0123456789", length: 10, limit: 4, want: "01234"},
		{name: "empty", body: "", length: 0, limit: 100, want: ""},
		{name: "shorter than announced", body: "01234", length: 10, limit: 100, want: "01234", wantErr: io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readBody(strings.NewReader(tc.body), tc.length, tc.limit)
			if string(got) != tc.want || !errors.Is(err, tc.wantErr) {
				t.Errorf("readBody = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
			if tc.wantCap != 0 && cap(got) != tc.wantCap {
				t.Errorf("cap = %d, want %d (one buffer of the announced length)", cap(got), tc.wantCap)
			}
		})
	}
}
