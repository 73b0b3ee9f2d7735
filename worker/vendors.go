package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/huaweiims"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/zstack"
)

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

// client builds the OCI client, or nil when OCI is not configured.
func (c ociConfig) client() (*oci.Client, error) {
	vars := variables()
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
