package ocisim

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// DefaultRegion is the region written into generated config files. The
// client needs one to build the SDK clients even when an endpoint replaces
// the region's hosts.
const DefaultRegion = "us-ashburn-1"

// Credentials is an API signing key with the OCIDs it belongs to, as a user
// would paste them from the OCI console into ~/.oci/config.
type Credentials struct {
	// TenancyID is the tenancy OCID. The emulator binary overwrites it with
	// a fixed, documented OCID so example pipelines can name the tenancy.
	TenancyID   string
	UserID      string
	Fingerprint string
	PrivateKey  *rsa.PrivateKey
}

// GenerateCredentials makes a fresh RSA 2048 key pair and random tenancy and
// user OCIDs.
func GenerateCredentials() (*Credentials, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate rsa key: %w", err)
	}
	fp, err := Fingerprint(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	return &Credentials{
		TenancyID:   NewOCID("tenancy", ""),
		UserID:      NewOCID("user", ""),
		Fingerprint: fp,
		PrivateKey:  key,
	}, nil
}

// KeyID is the signature keyId the SDK sends: "tenancy/user/fingerprint".
func (c *Credentials) KeyID() string {
	return c.TenancyID + "/" + c.UserID + "/" + c.Fingerprint
}

// WriteFiles writes key.pem (PKCS#8, mode 0600) and an OCI config file named
// "config" with a [DEFAULT] profile into dir, and returns the config's path.
// A non-empty endpoint is written as the profile's "endpoint" key, which the
// imagepipe client reads and the SDK and CLI ignore.
func (c *Credentials) WriteFiles(dir, endpoint string) (configPath string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", dir, err)
	}
	keyPEM, err := c.KeyPEM()
	if err != nil {
		return "", err
	}
	keyPath := filepath.Join(absDir, "key.pem")
	if err := os.WriteFile(keyPath, keyPEM, 0o600); err != nil {
		return "", fmt.Errorf("write key: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[DEFAULT]\nuser=%s\nfingerprint=%s\nkey_file=%s\ntenancy=%s\nregion=%s\n",
		c.UserID, c.Fingerprint, keyPath, c.TenancyID, DefaultRegion)
	if endpoint != "" {
		fmt.Fprintf(&b, "endpoint=%s\n", endpoint)
	}
	configPath = filepath.Join(absDir, "config")
	if err := os.WriteFile(configPath, []byte(b.String()), 0o600); err != nil {
		return "", fmt.Errorf("write config: %w", err)
	}
	return configPath, nil
}

// KeyPEM is the private key as key.pem holds it: PKCS#8 in PEM.
func (c *Credentials) KeyPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("encode private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// Fingerprint is the key fingerprint as OCI computes it: the MD5 of the
// DER-encoded public key, as colon-separated lower-case hex (what
// `openssl rsa -pubout -outform DER | openssl md5 -c` prints).
func Fingerprint(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", err)
	}
	sum := md5.Sum(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":"), nil
}

// NewOCID makes a random OCID of the given resource type, shaped like
// ocid1.<type>.oc1.<region>.<unique id>; region is empty for global
// resources (tenancies, users, compartments).
func NewOCID(resourceType, region string) string {
	return "ocid1." + resourceType + ".oc1." + region + ".aaaaaaaa" + simkit.RandomHex(26)
}
