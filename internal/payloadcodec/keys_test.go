package payloadcodec

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestParseKeys_ReadsEntriesByCommaBlankOrLine(t *testing.T) {
	a := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	b := base64.RawStdEncoding.EncodeToString(bytes.Repeat([]byte{2}, 32))
	for _, text := range []string{
		"new=" + a + ",old=" + b,
		"new=" + a + " old=" + b,
		"# rotated 2026-12\nnew=" + a + "\n\nold=" + b + "\n",
	} {
		keys, err := ParseKeys(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if len(keys) != 2 || keys[0].ID != "new" || keys[1].ID != "old" || keys[1].secret[0] != 2 {
			t.Errorf("%q: keys %v", text, keys)
		}
	}
}

// A bad key is reported by its place and ID, and its value never appears
// in the message (it may be most of a real key).
func TestParseKeys_BadEntryNamesWhereAndWhatNeverTheValue(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("sixteen-byte-key"))
	good := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	for text, want := range map[string]string{
		"k1=" + good + ",k2=" + short: `entry 2: key "k2": 16 bytes; want 32`,
		"k1=" + good + "\nk2" + good:  `line 2: not ID=BASE64`,
		"k1=" + good + "," + good:     `entry 2: not ID=BASE64`,
		"k1=!!notbase64!!":            `entry 1: key "k1" is not base64`,
		"=" + good:                    `key ID "": empty`,
		"k/1=" + good:                 `holds '/'`,
		" , \n# only comments":        "no keys",
	} {
		_, err := ParseKeys(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to say %q", text, err, want)
			continue
		}
		if strings.Contains(err.Error(), short) || strings.Contains(err.Error(), good) || strings.Contains(err.Error(), "notbase64") {
			t.Errorf("%q: error shows the key: %v", text, err)
		}
	}
}
