package oci

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// LoadConfigFile reads profile (DEFAULT when empty) from an OCI config file
// as the SDK does: key=value lines under [PROFILE] headers, keys from
// [DEFAULT] filling in what the profile leaves out, "~/" in key_file meaning
// the home directory.
func LoadConfigFile(path, profile string) (Config, error) {
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
		return Config{}, fmt.Errorf("oci config %s has no profile [%s]", path, profile)
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
	cfg := Config{
		TenancyID:     get("tenancy"),
		UserID:        get("user"),
		Fingerprint:   get("fingerprint"),
		KeyFile:       expandHome(get("key_file")),
		KeyPassphrase: pass,
		Region:        get("region"),
		Endpoint:      get("endpoint"),
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("oci config %s [%s]: %w", path, profile, err)
	}
	return cfg, nil
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

// validate names the first field that is missing or malformed.
func (c Config) validate() error {
	switch {
	case c.TenancyID == "":
		return errors.New("config: TenancyID (tenancy) is required")
	case c.UserID == "":
		return errors.New("config: UserID (user) is required")
	case c.Fingerprint == "":
		return errors.New("config: Fingerprint (fingerprint) is required")
	case c.KeyFile == "":
		return errors.New("config: KeyFile (key_file) is required")
	case c.Region == "" && c.Endpoint == "":
		return errors.New("config: Region (region) is required unless Endpoint is set")
	}
	if c.Endpoint != "" {
		u, err := url.Parse(c.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("config: Endpoint %q must be a scheme and host, like http://127.0.0.1:9101", c.Endpoint)
		}
	}
	return nil
}
