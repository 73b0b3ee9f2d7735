package oci

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// DefaultProfile is the profile LoadConfigFile reads when none is named, and
// the one whose keys every other profile inherits.
const DefaultProfile = "DEFAULT"

// Config is what the client needs to sign and send requests. It mirrors a
// profile of the OCI SDK/CLI config file.
type Config struct {
	TenancyID     string // tenancy OCID ("tenancy")
	UserID        string // user OCID ("user")
	Fingerprint   string // API key fingerprint ("fingerprint")
	KeyFile       string // PEM private key, PKCS#1 or PKCS#8 ("key_file")
	KeyPassphrase string // for an encrypted key ("pass_phrase")
	Region        string // e.g. "us-ashburn-1" ("region")
	// Endpoint, e.g. "http://127.0.0.1:9101", replaces both the Identity
	// and the Core hosts the region would give ("endpoint", a key of
	// imagepipe's own that the SDK and CLI ignore). Used for the emulator.
	Endpoint string
	// HTTPClient sends the requests; nil means one with a 60 s timeout.
	HTTPClient *http.Client
}

// profileHeader is the SDK's own pattern for a profile line.
var profileHeader = regexp.MustCompile(`^\[(.*)\]`)

// ErrNoProfile means the config file has no profile of the name asked for.
var ErrNoProfile = errors.New("no such profile")

// LoadConfigFile reads profile (DEFAULT when empty) from an OCI config file
// as ReadConfigFile does, and checks it. The error lists every problem,
// each a *ConfigError naming the file's key.
func LoadConfigFile(path, profile string) (Config, error) {
	cfg, err := ReadConfigFile(path, profile)
	if err != nil {
		return Config{}, err
	}
	if profile == "" {
		profile = DefaultProfile
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("oci config %s [%s]: %w", path, profile, err)
	}
	return cfg, nil
}

// ReadConfigFile reads profile (DEFAULT when empty) from an OCI config file
// as the SDK does: key=value lines under [PROFILE] headers, keys from
// [DEFAULT] filling in what the profile leaves out, "~/" in key_file meaning
// the home directory. It checks nothing, so a caller can override fields
// (e.g. Endpoint) before New checks them; a missing profile wraps
// ErrNoProfile.
func ReadConfigFile(path, profile string) (Config, error) {
	if profile == "" {
		profile = DefaultProfile
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read oci config: %w", err)
	}
	sections, err := parseProfiles(data)
	if err != nil {
		return Config{}, fmt.Errorf("parse oci config %s: %w", path, err)
	}
	keys, ok := sections[profile]
	if !ok {
		return Config{}, fmt.Errorf("oci config %s has no profile [%s]: %w", path, profile, ErrNoProfile)
	}
	get := func(k string) string {
		if v, ok := keys[k]; ok {
			return v
		}
		return sections[DefaultProfile][k]
	}
	pass := get("pass_phrase")
	if pass == "" {
		pass = get("passphrase")
	}
	return Config{
		TenancyID:     get("tenancy"),
		UserID:        get("user"),
		Fingerprint:   get("fingerprint"),
		KeyFile:       expandHome(get("key_file")),
		KeyPassphrase: pass,
		Region:        get("region"),
		Endpoint:      get("endpoint"),
	}, nil
}

// parseProfiles splits the file into profiles of lower-cased keys. Like the
// SDK it skips lines without "="; unlike it, a value keeps any "=" it holds.
func parseProfiles(data []byte) (map[string]map[string]string, error) {
	sections := map[string]map[string]string{}
	var current map[string]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if m := profileHeader.FindStringSubmatch(line); m != nil {
			current = map[string]string{}
			sections[m[1]] = current
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || current == nil {
			continue
		}
		current[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return sections, nil
}

func expandHome(p string) string {
	rest, ok := strings.CutPrefix(p, "~/")
	if !ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, rest)
}

// ConfigError is one Config field that is missing or malformed: the one
// type every vendor's New reports its Config's problems with.
type ConfigError = vendorerr.ConfigError

// fingerprintPattern is an API key fingerprint as the console shows it:
// 16 colon-separated hex pairs (an MD5).
var fingerprintPattern = regexp.MustCompile(`^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){15}$`)

// exampleFingerprint is what the messages offer as a good fingerprint.
const exampleFingerprint = "12:34:56:78:90:ab:cd:ef:12:34:56:78:90:ab:cd:ef"

// validate returns every field that is missing or malformed, joined; it
// does not read the key (New does).
func (c Config) validate() error {
	check := Vendor.ConfigCheck()
	bad := check.BadKey
	if c.TenancyID == "" {
		bad("TenancyID", "tenancy", "required; want the tenancy OCID, ocid1.tenancy.oc1..<unique id>")
	}
	if c.UserID == "" {
		bad("UserID", "user", "required; want the user OCID, ocid1.user.oc1..<unique id>")
	}
	switch {
	case c.Fingerprint == "":
		bad("Fingerprint", "fingerprint", "required; want the API key's fingerprint, like %s", exampleFingerprint)
	case !fingerprintPattern.MatchString(c.Fingerprint):
		bad("Fingerprint", "fingerprint", "%q is not a key fingerprint; want 16 colon-separated hex pairs, like %s", c.Fingerprint, exampleFingerprint)
	}
	if c.KeyFile == "" {
		bad("KeyFile", "key_file", "required; want the path of the API signing key's PEM private key")
	}
	if c.Region == "" && c.Endpoint == "" {
		bad("Region", "region", "required unless Endpoint is set; want a region identifier such as us-ashburn-1")
	}
	if err := checkEndpoint(c.Endpoint); err != nil {
		check.Add(err)
	}
	return check.Err()
}

// checkEndpoint refuses an endpoint override that is not a bare scheme
// and host; empty is no override.
func checkEndpoint(endpoint string) error {
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return Vendor.ConfigError("Endpoint", "endpoint", "%q must be a scheme and host, like http://127.0.0.1:9101", endpoint)
	}
	return nil
}

// loadKey reads and parses the signing key, and checks that Fingerprint is
// the key's: with another key's fingerprint every request would be
// refused as NotAuthenticated, long after start-up.
func (c Config) loadKey() (pemBytes []byte, pass *string, err error) {
	pemBytes, err = os.ReadFile(c.KeyFile)
	if err != nil {
		return nil, nil, Vendor.ConfigError("KeyFile", "key_file", "%v; want the path of the API signing key's PEM private key", err)
	}
	if c.KeyPassphrase != "" {
		pass = &c.KeyPassphrase
	}
	key, err := common.PrivateKeyFromBytes(pemBytes, pass)
	if err != nil {
		return nil, nil, Vendor.ConfigError("KeyFile", "key_file", "%s: %v; want a PEM RSA private key (PKCS#1 or PKCS#8; pass_phrase for an encrypted one)", c.KeyFile, err)
	}
	fp, err := fingerprint(&key.PublicKey)
	if err != nil {
		return nil, nil, Vendor.ConfigError("KeyFile", "key_file", "%s: %v", c.KeyFile, err)
	}
	// Unverified: whether OCI matches fingerprints case-insensitively; the
	// console and the SDK's tools print lower case.
	if !strings.EqualFold(fp, c.Fingerprint) {
		return nil, nil, Vendor.ConfigError("Fingerprint", "fingerprint", "%s is not the fingerprint of the key in %s, which is %s; want the fingerprint the console shows for that key", c.Fingerprint, c.KeyFile, fp)
	}
	return pemBytes, pass, nil
}

// fingerprint is an API key's fingerprint as OCI computes it: the MD5 of
// the DER-encoded public key, colon-separated lower-case hex (what
// `openssl rsa -pubout -outform DER -in key.pem | openssl md5 -c` prints).
func fingerprint(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", err)
	}
	sum := md5.Sum(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = hex.EncodeToString([]byte{b})
	}
	return strings.Join(parts, ":"), nil
}
