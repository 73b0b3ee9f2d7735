// Package payloadcodec encrypts Temporal payloads with AES-256-GCM, so
// pipeline inputs, results, signals, memos and summaries sit in the
// server's database as ciphertext.
//
// Each encrypted payload carries, in its readable metadata, the encoding
// binary/encrypted and the ID of the key that encrypted it. A Codec
// encrypts with one key and decrypts with every key it holds, so keys
// rotate without losing old histories: add the new key first, keep the
// old ones after it. The payload's own metadata and data are encrypted
// together, as Temporal's data-encryption guide advises, so a decoded
// payload is exactly the one the data converter made.
package payloadcodec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Encoding is the metadata encoding of an encrypted payload.
const Encoding = "binary/encrypted"

// MetadataKeyID is the metadata key naming the key a payload was
// encrypted with.
const MetadataKeyID = "encryption-key-id"

// Codec is a converter.PayloadCodec that encrypts with one key and
// decrypts with any of its keys.
type Codec struct {
	encryptID string
	aeads     map[string]cipher.AEAD
	ids       []string // in the order given, for messages
}

var _ converter.PayloadCodec = (*Codec)(nil)

// New returns a Codec holding keys that encrypts with the key whose ID is
// encryptWith, or with the first key when encryptWith is empty.
func New(keys []Key, encryptWith string) (*Codec, error) {
	if len(keys) == 0 {
		return nil, errors.New("no keys")
	}
	c := &Codec{aeads: map[string]cipher.AEAD{}}
	for _, k := range keys {
		if _, dup := c.aeads[k.ID]; dup {
			return nil, fmt.Errorf("key ID %q given twice; want each ID once", k.ID)
		}
		block, err := aes.NewCipher(k.secret)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", k.ID, err)
		}
		c.aeads[k.ID] = aead
		c.ids = append(c.ids, k.ID)
	}
	c.encryptID = keys[0].ID
	if encryptWith != "" {
		if _, ok := c.aeads[encryptWith]; !ok {
			return nil, fmt.Errorf("no key has ID %q; the keys are %s", encryptWith, strings.Join(c.ids, ", "))
		}
		c.encryptID = encryptWith
	}
	return c, nil
}

// EncryptKeyID is the ID of the key new payloads are encrypted with.
func (c *Codec) EncryptKeyID() string { return c.encryptID }

// KeyIDs are the IDs of every key the codec decrypts with.
func (c *Codec) KeyIDs() []string { return slices.Clone(c.ids) }

// Encode encrypts each payload, metadata included, into a new payload
// whose metadata says only the encoding and the key ID.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	aead := c.aeads[c.encryptID]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encrypt payload: %w", err)
		}
		nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(nonce); err != nil {
			return nil, fmt.Errorf("encrypt payload: nonce: %w", err)
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(Encoding),
				MetadataKeyID:              []byte(c.encryptID),
			},
			// The key ID is authenticated too: a payload relabelled with
			// another key's ID fails like a tampered one.
			Data: aead.Seal(nonce, nonce, plain, []byte(c.encryptID)),
		}
	}
	return out, nil
}

// Decode decrypts each encrypted payload; a payload that is not encrypted
// (written before encryption was turned on) passes unchanged.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		aead, ok := c.aeads[id]
		if !ok {
			return nil, fmt.Errorf("decrypt payload: it was encrypted with key %q, which is not among this process's keys (%s); "+
				"keep a retired key in the list for as long as histories it encrypted are kept", id, strings.Join(c.ids, ", "))
		}
		data := p.GetData()
		if len(data) < aead.NonceSize()+aead.Overhead() {
			return nil, fmt.Errorf("decrypt payload with key %q: %d bytes, too short to be a payload this codec encrypted", id, len(data))
		}
		nonce, sealed := data[:aead.NonceSize()], data[aead.NonceSize():]
		plain, err := aead.Open(nil, nonce, sealed, []byte(id))
		if err != nil {
			return nil, fmt.Errorf("decrypt payload with key %q: %w: the payload was altered, or the key under this ID is not the one that encrypted it", id, err)
		}
		var decoded commonpb.Payload
		if err := proto.Unmarshal(plain, &decoded); err != nil {
			return nil, fmt.Errorf("decrypt payload with key %q: %w", id, err)
		}
		out[i] = &decoded
	}
	return out, nil
}
