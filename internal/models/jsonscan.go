package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// jsonScanner reads JSON text token by token without reflection. It serves
// the hot path of large bodies (a summary's tens of thousands of
// datapoints), where encoding/json's reflection costs several times what
// reading the bytes does. It validates what it reads and skips as
// encoding/json's scanner does, and decodes strings exactly as encoding/json
// does (the rare strings with escapes or non-ASCII bytes are handed to it).
type jsonScanner struct {
	data []byte
	pos  int
}

// maxJSONDepth is encoding/json's nesting limit, so that a body it accepts
// is accepted here too.
const maxJSONDepth = 10000

func (s *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", s.pos, fmt.Sprintf(format, args...))
}

// typeErrorf reports a value of the wrong type at field, which wants want.
func (s *jsonScanner) typeErrorf(field, want string) error {
	got := "nothing"
	switch c := s.peek(); {
	case c == '{':
		got = "an object"
	case c == '[':
		got = "a list"
	case c == '"':
		got = "a string"
	case c == 't' || c == 'f':
		got = "a boolean"
	case c == 'n':
		got = "null"
	case c == '-' || '0' <= c && c <= '9':
		got = "a number"
	}
	return fmt.Errorf("%s: want %s, got %s (offset %d)", field, want, got, s.pos)
}

func (s *jsonScanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end (a 0 byte
// in the text is not valid JSON either).
func (s *jsonScanner) peek() byte {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// end reports an error unless only white space is left.
func (s *jsonScanner) end() error {
	s.skipSpace()
	if s.pos < len(s.data) {
		return s.errorf("unexpected %q after the value", s.data[s.pos])
	}
	return nil
}

func (s *jsonScanner) expect(c byte) error {
	if s.peek() != c {
		if s.pos >= len(s.data) {
			return s.errorf("unexpected end, want %q", c)
		}
		return s.errorf("unexpected %q, want %q", s.data[s.pos], c)
	}
	s.pos++
	return nil
}

// stringToken reads a string token and returns its bytes between the
// quotes, and whether they decode to themselves (no escape, valid UTF-8).
func (s *jsonScanner) stringToken() (raw []byte, plain bool, err error) {
	if err := s.expect('"'); err != nil {
		return nil, false, err
	}
	start := s.pos
	plain = true
	ascii := true
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			raw = s.data[start:s.pos]
			s.pos++
			if !ascii && !utf8.Valid(raw) {
				plain = false // encoding/json replaces invalid UTF-8 with U+FFFD
			}
			return raw, plain, nil
		case c == '\\':
			plain = false
			s.pos++
			if s.pos >= len(s.data) {
				return nil, false, s.errorf("unexpected end in a string escape")
			}
			switch s.data[s.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				s.pos++
				for range 4 {
					if s.pos >= len(s.data) || !isHex(s.data[s.pos]) {
						return nil, false, s.errorf("invalid \\u escape in a string")
					}
					s.pos++
				}
			default:
				return nil, false, s.errorf("invalid escape \\%c in a string", s.data[s.pos])
			}
		case c < 0x20:
			return nil, false, s.errorf("control character %#x in a string", c)
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			s.pos++
		}
	}
	return nil, false, s.errorf("unexpected end in a string")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unquote decodes a string token's contents as encoding/json does.
func unquote(raw []byte, plain bool) (string, error) {
	if plain {
		return string(raw), nil
	}
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	var out string
	if err := json.Unmarshal(quoted, &out); err != nil {
		return "", err
	}
	return out, nil
}

// readString reads a string token and decodes it.
func (s *jsonScanner) readString() (string, error) {
	raw, plain, err := s.stringToken()
	if err != nil {
		return "", err
	}
	return unquote(raw, plain)
}

// numberToken reads a number token, checking its grammar.
func (s *jsonScanner) numberToken() ([]byte, error) {
	start := s.pos
	d := s.data
	if s.pos < len(d) && d[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(d) && d[s.pos] == '0':
		s.pos++
	case s.pos < len(d) && '1' <= d[s.pos] && d[s.pos] <= '9':
		s.skipDigits()
	default:
		return nil, s.errorf("invalid number")
	}
	if s.pos < len(d) && d[s.pos] == '.' {
		s.pos++
		if !s.skipDigits() {
			return nil, s.errorf("invalid number: no digit after the decimal point")
		}
	}
	if s.pos < len(d) && (d[s.pos] == 'e' || d[s.pos] == 'E') {
		s.pos++
		if s.pos < len(d) && (d[s.pos] == '+' || d[s.pos] == '-') {
			s.pos++
		}
		if !s.skipDigits() {
			return nil, s.errorf("invalid number: no digit in the exponent")
		}
	}
	return d[start:s.pos], nil
}

func (s *jsonScanner) skipDigits() bool {
	start := s.pos
	for s.pos < len(s.data) && '0' <= s.data[s.pos] && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}

// literal reads true, false or null.
func (s *jsonScanner) literal(word string) error {
	if !bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		return s.errorf("invalid literal, want %s", word)
	}
	s.pos += len(word)
	return nil
}

// null reads a null if one comes next and reports whether it did.
func (s *jsonScanner) null() (bool, error) {
	if s.peek() != 'n' {
		return false, nil
	}
	return true, s.literal("null")
}

// skipValue reads one value of any kind, checking it, and returns its text.
// Nesting is tracked with a counter, not recursion.
func (s *jsonScanner) skipValue() ([]byte, error) {
	// stack holds, per open container, whether it is an object.
	var stackBuf [32]bool
	stack := stackBuf[:0]
	start := -1
	for {
		c := s.peek()
		if start < 0 {
			start = s.pos
		}
		// A value.
		switch {
		case c == '{' || c == '[':
			if len(stack) >= maxJSONDepth {
				return nil, s.errorf("exceeded max depth")
			}
			s.pos++
			isObject := c == '{'
			stack = append(stack, isObject)
			closer := byte(']')
			if isObject {
				closer = '}'
			}
			if s.peek() == closer {
				s.pos++
				stack = stack[:len(stack)-1]
				break
			}
			if isObject {
				if err := s.objectKey(); err != nil {
					return nil, err
				}
			}
			continue // the first member's value
		case c == '"':
			if _, _, err := s.stringToken(); err != nil {
				return nil, err
			}
		case c == '-' || '0' <= c && c <= '9':
			if _, err := s.numberToken(); err != nil {
				return nil, err
			}
		case c == 't':
			if err := s.literal("true"); err != nil {
				return nil, err
			}
		case c == 'f':
			if err := s.literal("false"); err != nil {
				return nil, err
			}
		case c == 'n':
			if err := s.literal("null"); err != nil {
				return nil, err
			}
		case c == 0:
			return nil, s.errorf("unexpected end, want a value")
		default:
			return nil, s.errorf("unexpected %q, want a value", c)
		}
		// After a value: close containers or move to the next member.
		for {
			if len(stack) == 0 {
				return s.data[start:s.pos], nil
			}
			isObject := stack[len(stack)-1]
			closer := byte(']')
			if isObject {
				closer = '}'
			}
			switch s.peek() {
			case ',':
				s.pos++
				if isObject {
					if err := s.objectKey(); err != nil {
						return nil, err
					}
				}
			case closer:
				s.pos++
				stack = stack[:len(stack)-1]
				continue
			default:
				return nil, s.errorf("want ',' or %q", closer)
			}
			break
		}
	}
}

// objectKey reads a member's key and its colon.
func (s *jsonScanner) objectKey() error {
	if s.peek() != '"' {
		return s.errorf("want an object key")
	}
	if _, _, err := s.stringToken(); err != nil {
		return err
	}
	return s.expect(':')
}

// object reads an object, calling member for each key with the scanner at
// the key's value, which member must read. A key is passed decoded; it is
// only valid during the call.
func (s *jsonScanner) object(member func(key []byte) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.errorf("want an object key")
		}
		raw, plain, err := s.stringToken()
		if err != nil {
			return err
		}
		key := raw
		if !plain {
			k, err := unquote(raw, false)
			if err != nil {
				return err
			}
			key = []byte(k)
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.errorf("want ',' or '}' in an object")
		}
	}
}

// array reads an array, calling element for each element with the scanner
// at it, which element must read; i counts from 0.
func (s *jsonScanner) array(element func(i int) error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := element(i); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.errorf("want ',' or ']' in an array")
		}
	}
}

// keyIs reports whether a decoded object key selects the struct field whose
// JSON name is name, as encoding/json matches them: exactly, or else equal
// under Unicode case folding.
func keyIs(key []byte, name string) bool {
	return string(key) == name || bytes.EqualFold(key, []byte(name))
}
