package payloadcodec

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// KeySize is the length of an AES-256 key, in bytes.
const KeySize = 32

// maxKeyIDLength bounds a key ID, which every encrypted payload carries.
const maxKeyIDLength = 64

// GenerateHint says how to make a good key, for error messages.
const GenerateHint = "head -c 32 /dev/urandom | base64"

// Key is one AES-256 key and the ID payloads name it by.
type Key struct {
	ID     string
	secret []byte
}

// NewKey returns a key of exactly KeySize bytes under id.
func NewKey(id string, secret []byte) (Key, error) {
	if why := badKeyID(id); why != "" {
		if len(id) > maxKeyIDLength {
			return Key{}, fmt.Errorf("key ID: %s", why) // maybe a key pasted in its place
		}
		return Key{}, fmt.Errorf("key ID %q: %s", id, why)
	}
	if len(secret) != KeySize {
		return Key{}, fmt.Errorf("key %q: %d bytes; want %d (AES-256), e.g. from %s", id, len(secret), KeySize, GenerateHint)
	}
	return Key{ID: id, secret: append([]byte(nil), secret...)}, nil
}

// ParseKeys reads keys written as ID=BASE64 entries, separated by commas,
// blanks or newlines; a line starting with # is a comment. Errors name
// the entry (and line, when there are several) but never the key itself.
func ParseKeys(text string) ([]Key, error) {
	lines := strings.Split(text, "\n")
	var keys []Key
	entry := 0
	for n, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, field := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
			entry++
			where := fmt.Sprintf("entry %d", entry)
			if len(lines) > 1 {
				where = fmt.Sprintf("line %d", n+1)
			}
			id, value, ok := strings.Cut(field, "=")
			// Neither case names the entry: it may be a key with its ID
			// and "=" left out, its padding taken for the "=".
			if !ok || value == "" {
				return nil, fmt.Errorf("%s: not ID=BASE64; want such as k2026=<32 bytes in base64>", where)
			}
			secret, err := decodeBase64(value)
			if err != nil {
				return nil, fmt.Errorf("%s: key %q is not base64; want 32 bytes in base64, e.g. from %s", where, id, GenerateHint)
			}
			k, err := NewKey(id, secret)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("no keys; want ID=BASE64 entries, such as k2026=<32 bytes in base64, e.g. from %s>", GenerateHint)
	}
	return keys, nil
}

// decodeBase64 accepts standard base64 with or without its padding
// (shells and secret stores differ).
func decodeBase64(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// badKeyID says what is wrong with a key ID, or "".
func badKeyID(id string) string {
	switch {
	case id == "":
		return "empty; want a short name such as k2026"
	case len(id) > maxKeyIDLength:
		return fmt.Sprintf("%d bytes; want at most %d", len(id), maxKeyIDLength)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Sprintf("holds %q; want letters, digits, '-', '_' and '.' only", r)
		}
	}
	return ""
}
