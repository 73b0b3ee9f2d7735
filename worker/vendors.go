package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/huaweiims"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/zstack"
)

// vendorSide is one vendor as the worker builds it: its name (as
// workflows.Vendor has it), where its settings point (for the log), and how
// its client and activities are built from those settings.
type vendorSide struct {
	name, where string
	// connect returns a nil client, and no error, for a vendor whose
	// settings are absent.
	connect func() (client, activities any, err error)
}

// vendorSides is every vendor's worker side, from cfg. Each of the
// registry's vendors (workflows.Vendors) has one.
func (cfg config) vendorSides() []vendorSide {
	ociAt := cfg.OCI.ConfigFile
	if cfg.OCI.Auth == ociInstancePrincipal {
		ociAt = "instance principal"
	}
	return []vendorSide{
		{"oci", ociAt, connect(cfg.OCI.client, func(c *oci.Client) any { return &activities.OCI{Client: c} })},
		{"fpp", cfg.FPP.Endpoint, connect(cfg.FPP.client, func(c *fpp.Client) any { return &activities.FPP{Client: c} })},
		{"huawei", cfg.Huawei.Endpoint, connect(cfg.Huawei.client, func(c *huaweiims.Client) any { return &activities.Huawei{Client: c} })},
		{"zstack", cfg.ZStack.Endpoint, connect(cfg.ZStack.client, func(c *zstack.Client) any { return &activities.ZStack{Client: c} })},
	}
}

// connect is a vendorSide's connect from its client's constructor and its
// activities'. A nil *C stays out of the interfaces it returns (a nil
// pointer in an interface is not nil).
func connect[C any](client func() (*C, error), calls func(*C) any) func() (any, any, error) {
	return func() (any, any, error) {
		c, err := client()
		if c == nil {
			return nil, nil, err
		}
		return c, calls(c), err
	}
}

func (c fppConfig) client() (*fpp.Client, error) {
	if c.Endpoint == "" {
		return nil, unusedSettings("FPP", "Endpoint", "the FPP server's https://host:8894")
	}
	client, err := fpp.New(fpp.Config{Endpoint: c.Endpoint, Username: c.Username, Password: c.Password, CAFile: c.CAFile})
	if err != nil {
		return nil, vendorProblems("FPP", err)
	}
	return client, nil
}

func (c huaweiConfig) client() (*huaweiims.Client, error) {
	if c.Endpoint == "" {
		return nil, unusedSettings("Huawei", "Endpoint", "the regional IMS endpoint, e.g. https://ims.ap-southeast-1.myhuaweicloud.com")
	}
	client, err := huaweiims.New(huaweiims.Config{Endpoint: c.Endpoint, ProjectID: c.ProjectID, AccessKey: c.AccessKey, SecretKey: c.SecretKey})
	if err != nil {
		return nil, vendorProblems("Huawei", err)
	}
	return client, nil
}

func (c zstackConfig) client() (*zstack.Client, error) {
	if c.Endpoint == "" {
		return nil, unusedSettings("ZStack", "Endpoint", "the management node's http(s)://host:port")
	}
	client, err := zstack.New(zstack.Config{Endpoint: c.Endpoint, AccountName: c.AccountName, Password: c.Password})
	if err != nil {
		return nil, vendorProblems("ZStack", err)
	}
	return client, nil
}

// newInstancePrincipal is the OCI SDK's instance-principal client; tests
// replace it, having no OCI instance metadata service to reach.
var newInstancePrincipal = oci.NewInstancePrincipal

// OCI's ways to sign, the values of IMAGEPIPE_OCI_AUTH.
const (
	ociAPIKey            = "api_key"
	ociInstancePrincipal = "instance_principal"
)

// client builds the OCI client, or nil when OCI is not configured.
func (c ociConfig) client() (*oci.Client, error) {
	vars := variables()
	switch c.Auth {
	case ociAPIKey:
	case ociInstancePrincipal:
		return c.instancePrincipalClient()
	default:
		return nil, &settingsError{[]string{fmt.Sprintf("%s=%q: not a way to sign OCI requests; want %s (an API key from IMAGEPIPE_OCI_CONFIG_FILE, the default) or %s (the compute instance's own identity)",
			vars["OCI.Auth"], c.Auth, ociAPIKey, ociInstancePrincipal)}}
	}
	if c.ConfigFile == "" {
		return nil, unusedSettings("OCI", "ConfigFile", "the path of an OCI config file (the one oci setup config writes)")
	}
	file := fmt.Sprintf("%s=%q", vars["OCI.ConfigFile"], c.ConfigFile)
	cfg, err := oci.ReadConfigFile(c.ConfigFile, c.Profile)
	switch {
	case errors.Is(err, oci.ErrNoProfile):
		return nil, &settingsError{[]string{fmt.Sprintf("%s=%q: %v; want a profile the file has, or unset it for DEFAULT", vars["OCI.Profile"], c.Profile, err)}}
	case err != nil:
		return nil, &settingsError{[]string{fmt.Sprintf("%s: %v; want the path of an OCI config file (the one oci setup config writes)", file, err)}}
	}
	if c.Endpoint != "" {
		cfg.Endpoint = c.Endpoint
	}
	client, err := oci.New(cfg)
	if err == nil {
		return client, nil
	}
	problems := &settingsError{}
	for _, e := range leaves(err) {
		var ce *oci.ConfigError
		switch {
		case errors.As(e, &ce) && ce.Field == "Endpoint" && c.Endpoint != "":
			problems.add("%s: %s", vars["OCI.Endpoint"], ce.Problem)
		case errors.As(e, &ce):
			problems.add("%s, profile [%s], key %s: %s", file, c.Profile, ce.Key, ce.Problem)
		default:
			problems.add("%s: %v", file, e)
		}
	}
	return nil, problems
}

// instancePrincipalClient signs as the compute instance. A config file or
// profile alongside is refused: it would be ignored, and whoever set it
// meant an API key.
func (c ociConfig) instancePrincipalClient() (*oci.Client, error) {
	vars := variables()
	var set []string
	for _, field := range []string{"OCI.ConfigFile", "OCI.Profile"} {
		if _, ok := os.LookupEnv(vars[field]); ok {
			set = append(set, vars[field])
		}
	}
	if len(set) > 0 {
		return nil, &settingsError{[]string{fmt.Sprintf("%s=%s takes no config file, but %s is set; unset it, or set %s=%s to sign with the file's API key",
			vars["OCI.Auth"], ociInstancePrincipal, strings.Join(set, " and "), vars["OCI.Auth"], ociAPIKey)}}
	}
	client, err := newInstancePrincipal(oci.ProviderOptions{Endpoint: c.Endpoint})
	var ce *oci.ConfigError
	switch {
	case errors.As(err, &ce) && ce.Field == "Endpoint":
		return nil, &settingsError{[]string{fmt.Sprintf("%s: %s", vars["OCI.Endpoint"], ce.Problem)}}
	case err != nil:
		return nil, &settingsError{[]string{fmt.Sprintf("%s=%s: %v", vars["OCI.Auth"], ociInstancePrincipal, err)}}
	}
	return client, nil
}

// vendorProblems names the variable behind each field a provider's New
// refused: IMAGEPIPE_FPP_ENDPOINT, not Endpoint.
func vendorProblems(vendor string, err error) error {
	vars := variables()
	problems := &settingsError{}
	for _, e := range leaves(err) {
		var fe configFieldError
		if errors.As(e, &fe) {
			field, problem := fe.ConfigField()
			if v := vars[vendor+"."+field]; v != "" {
				if fv := fileVariableOf(v); fv != "" {
					v += " or " + fv
				}
				problems.add("%s: %s", v, problem)
				continue
			}
		}
		problems.add("%s settings: %v", vendor, e)
	}
	return problems
}

// unusedSettings reports a vendor's variables that are set while the one
// that turns the vendor on is not: most likely a typo in that one's name,
// which would otherwise leave the vendor quietly unconfigured.
func unusedSettings(vendor, key, want string) error {
	vars := variables()
	var set []string
	for path, v := range vars {
		if strings.HasPrefix(path, vendor+".") && path != vendor+"."+key {
			if _, ok := os.LookupEnv(v); ok {
				set = append(set, v)
			}
		}
	}
	if len(set) == 0 {
		return nil
	}
	slices.Sort(set)
	return &settingsError{[]string{fmt.Sprintf("%s is set but %s is empty, so %s is not configured; set %s to %s, or unset the others",
		strings.Join(set, ", "), vars[vendor+"."+key], vendor, vars[vendor+"."+key], want)}}
}
