package main

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/imagepipe/imagepipe/internal/demo"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// vendor is one emulator ready to serve: its handler, its faults (for
// chaos), the TLS it serves with (FPP's own CA) and the worker.env lines
// that point a worker at it.
type vendor struct {
	handler http.Handler
	faults  *simkit.Faults
	tls     *tls.Config
	env     []string
}

func timing(cfg config) demo.Timing {
	return demo.Timing{Activation: cfg.ActivationDelay, Job: cfg.JobDuration}
}

// newOCI serves the demo tenancy and gold image, and writes the OCI config
// file (generated key, fingerprint, OCIDs) a worker signs with.
func newOCI(cfg config, dir, endpoint string) (vendor, error) {
	creds, err := ocisim.GenerateCredentials()
	if err != nil {
		return vendor{}, err
	}
	creds.TenancyID = demo.OCITenancyID
	sim := ocisim.New(demo.OCI(timing(cfg)))
	sim.RegisterCredentials(creds)
	configPath, err := creds.WriteFiles(dir, endpoint)
	if err != nil {
		return vendor{}, fmt.Errorf("write credentials: %w", err)
	}
	return vendor{handler: sim, faults: sim.Faults(), env: []string{"IMAGEPIPE_OCI_CONFIG_FILE=" + configPath}}, nil
}

// newFPP serves HTTPS with a CA generated now, written where the worker's
// IMAGEPIPE_FPP_CA_FILE points, as a real FPP server has its own CA.
func newFPP(cfg config, dir, endpoint string) (vendor, error) {
	var hosts []string
	if cfg.Host != "" {
		hosts = append(hosts, cfg.Host)
	}
	ca, err := fppsim.GenerateCA(hosts...)
	if err != nil {
		return vendor{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return vendor{}, err
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := ca.WriteCertFile(caFile); err != nil {
		return vendor{}, err
	}
	sim := fppsim.New(demo.FPP(timing(cfg)))
	return vendor{handler: sim, faults: sim.Faults(), tls: ca.ServerTLSConfig(), env: []string{
		"IMAGEPIPE_FPP_ENDPOINT=" + endpoint,
		"IMAGEPIPE_FPP_USERNAME=" + fppsim.DefaultUsername,
		"IMAGEPIPE_FPP_PASSWORD=" + fppsim.DefaultPassword,
		"IMAGEPIPE_FPP_CA_FILE=" + caFile,
	}}, nil
}

// newHuawei serves one project with a demo source image.
func newHuawei(cfg config, _, endpoint string) (vendor, error) {
	sim := imssim.New(demo.Huawei(timing(cfg)))
	return vendor{handler: sim, faults: sim.Faults(), env: []string{
		"IMAGEPIPE_HUAWEI_ENDPOINT=" + endpoint,
		"IMAGEPIPE_HUAWEI_PROJECT_ID=" + sim.ProjectID(),
		"IMAGEPIPE_HUAWEI_ACCESS_KEY=" + imssim.DefaultAccessKey,
		"IMAGEPIPE_HUAWEI_SECRET_KEY=" + imssim.DefaultSecretKey,
	}}, nil
}

// newZStack serves ZStack's initial admin account and a demo image.
func newZStack(cfg config, _, endpoint string) (vendor, error) {
	sim := zstacksim.New(demo.ZStack(timing(cfg)))
	return vendor{handler: sim, faults: sim.Faults(), env: []string{
		"IMAGEPIPE_ZSTACK_ENDPOINT=" + endpoint,
		"IMAGEPIPE_ZSTACK_ACCOUNT=" + demo.ZStackAccount,
		"IMAGEPIPE_ZSTACK_PASSWORD=" + demo.ZStackPassword,
	}}, nil
}
