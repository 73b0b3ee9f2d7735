package payloadcodec

import (
	"bytes"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

func key(t *testing.T, id string, fill byte) Key {
	t.Helper()
	k, err := NewKey(id, bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func codec(t *testing.T, encryptWith string, keys ...Key) *Codec {
	t.Helper()
	c, err := New(keys, encryptWith)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// encode makes the payload the SDK's default converter makes of v, and
// encrypts it with c.
func encode(t *testing.T, c *Codec, v any) *commonpb.Payload {
	t.Helper()
	p, err := converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c).ToPayload(v)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeString(t *testing.T, c *Codec, p *commonpb.Payload) (string, error) {
	t.Helper()
	var s string
	err := converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c).FromPayload(p, &s)
	return s, err
}

func TestCodec_PayloadIsCiphertextNamingOnlyItsKey(t *testing.T) {
	c := codec(t, "", key(t, "k1", 1))
	p := encode(t, c, "gold-ubuntu-22.04 from s3://images/secret-path")
	if bytes.Contains(p.GetData(), []byte("gold-ubuntu")) || bytes.Contains(p.GetData(), []byte("json/plain")) {
		t.Fatalf("payload data holds the plaintext or its encoding: %q", p.GetData())
	}
	if got := string(p.GetMetadata()[converter.MetadataEncoding]); got != Encoding {
		t.Errorf("encoding %q, want %q", got, Encoding)
	}
	if got := string(p.GetMetadata()[MetadataKeyID]); got != "k1" {
		t.Errorf("key ID %q, want k1", got)
	}
	if len(p.GetMetadata()) != 2 {
		t.Errorf("metadata %v: want only the encoding and the key ID readable", p.GetMetadata())
	}
	if s, err := decodeString(t, c, p); err != nil || s != "gold-ubuntu-22.04 from s3://images/secret-path" {
		t.Errorf("decoded %q, %v", s, err)
	}
}

// Rotation: the new key goes first and encrypts; the old one stays after
// it and still opens what it encrypted.
func TestCodec_RotationOldKeyDecryptsNewKeyEncrypts(t *testing.T) {
	before := codec(t, "", key(t, "k2025", 1))
	old := encode(t, before, "written before the rotation")

	after := codec(t, "", key(t, "k2026", 2), key(t, "k2025", 1))
	if s, err := decodeString(t, after, old); err != nil || s != "written before the rotation" {
		t.Fatalf("old payload after rotation: %q, %v", s, err)
	}
	fresh := encode(t, after, "written after")
	if got := string(fresh.GetMetadata()[MetadataKeyID]); got != "k2026" {
		t.Errorf("new payload encrypted with %q, want the new key k2026", got)
	}
	if _, err := decodeString(t, before, fresh); err == nil || !strings.Contains(err.Error(), `"k2026"`) {
		t.Errorf("a process without the new key decoded its payload, or did not name the key: %v", err)
	}
	// IMAGEPIPE_CODEC_KEY_ID may pick another key than the first.
	if got := codec(t, "k2025", key(t, "k2026", 2), key(t, "k2025", 1)).EncryptKeyID(); got != "k2025" {
		t.Errorf("encrypt key %q, want k2025", got)
	}
}

func TestCodec_WrongKeyUnderTheSameIDIsAClearError(t *testing.T) {
	p := encode(t, codec(t, "", key(t, "k1", 1)), "secret")
	_, err := decodeString(t, codec(t, "", key(t, "k1", 9)), p)
	if err == nil || !strings.Contains(err.Error(), `key "k1"`) || !strings.Contains(err.Error(), "not the one that encrypted it") {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestCodec_UnknownKeyIDNamesItAndTheKeysHeld(t *testing.T) {
	p := encode(t, codec(t, "", key(t, "k-retired", 1)), "secret")
	_, err := decodeString(t, codec(t, "", key(t, "k-new", 2)), p)
	if err == nil || !strings.Contains(err.Error(), `"k-retired"`) || !strings.Contains(err.Error(), "k-new") {
		t.Fatalf("unknown key: %v", err)
	}
}

func TestCodec_TamperedCiphertextIsRefused(t *testing.T) {
	c := codec(t, "", key(t, "k1", 1), key(t, "k2", 1))
	for name, tamper := range map[string]func(p *commonpb.Payload){
		"flipped bit": func(p *commonpb.Payload) { p.Data[len(p.Data)-5] ^= 0x01 },
		"truncated":   func(p *commonpb.Payload) { p.Data = p.Data[:10] },
		// Same key bytes under another ID: the ID is authenticated.
		"relabelled": func(p *commonpb.Payload) { p.Metadata[MetadataKeyID] = []byte("k2") },
	} {
		t.Run(name, func(t *testing.T) {
			p := encode(t, c, "pay the vendor")
			tamper(p)
			if s, err := decodeString(t, c, p); err == nil {
				t.Fatalf("tampered payload decoded to %q", s)
			}
		})
	}
}

// Histories written before encryption was turned on stay readable.
func TestCodec_PlainPayloadPassesUnchanged(t *testing.T) {
	plain, err := converter.GetDefaultDataConverter().ToPayload("from before")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := decodeString(t, codec(t, "", key(t, "k1", 1)), plain); err != nil || s != "from before" {
		t.Fatalf("plain payload: %q, %v", s, err)
	}
}

func TestNew_RefusesDuplicateIDsAndAnUnknownEncryptKey(t *testing.T) {
	if _, err := New([]Key{key(t, "a", 1), key(t, "a", 2)}, ""); err == nil || !strings.Contains(err.Error(), `"a" given twice`) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := New([]Key{key(t, "a", 1)}, "b"); err == nil || !strings.Contains(err.Error(), `"b"`) || !strings.Contains(err.Error(), "a") {
		t.Errorf("unknown encrypt key: %v", err)
	}
}
