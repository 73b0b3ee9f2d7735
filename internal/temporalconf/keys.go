package temporalconf

import (
	"errors"
	"fmt"
	"os"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
)

// loadCodec builds the payload codec from IMAGEPIPE_CODEC_KEYS (ID=BASE64
// entries) or the file IMAGEPIPE_CODEC_KEYS_FILE names (the same entries,
// one a line, as a mounted secret), encrypting with IMAGEPIPE_CODEC_KEY_ID
// or the first key. Neither set means no encryption. A bad key stops the
// process before it does any work: a worker that cannot decrypt would
// fail every pipeline task instead.
func loadCodec() (*payloadcodec.Codec, error) {
	text, fromFile := os.Getenv(KeysVariable), os.Getenv(KeysFileVariable)
	encryptWith := os.Getenv(KeyIDVariable)
	source := KeysVariable
	switch {
	case text != "" && fromFile != "":
		return nil, fmt.Errorf("%s and %s are both set; set one: %s to the keys themselves, or %s to the path of a file holding them",
			KeysVariable, KeysFileVariable, KeysVariable, KeysFileVariable)
	case fromFile != "":
		b, err := os.ReadFile(fromFile)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s=%q: %v; want the path of a readable file of ID=BASE64 lines, or set %s instead", KeysFileVariable, fromFile, err, KeysVariable)
		}
		text, source = string(b), fmt.Sprintf("%s=%q", KeysFileVariable, fromFile)
	case text == "":
		if encryptWith != "" {
			return nil, fmt.Errorf("%s=%q but no keys: set %s or %s too, or unset %s", KeyIDVariable, encryptWith, KeysVariable, KeysFileVariable, KeyIDVariable)
		}
		return nil, nil
	}
	keys, err := payloadcodec.ParseKeys(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	c, err := payloadcodec.New(keys, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if encryptWith != "" {
		if c, err = payloadcodec.New(keys, encryptWith); err != nil {
			return nil, fmt.Errorf("%s=%q: %w", KeyIDVariable, encryptWith, err)
		}
	}
	return c, nil
}
