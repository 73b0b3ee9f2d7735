package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// The emulator's worker.env is what make run hands the worker: with it, a
// client of each vendor reaches its emulator and finds the demo data the
// examples name.
func TestEmulator_WorkerEnvReachesEveryVendorAndItsDemoData(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("IMAGEPIPE_EMULATOR_DIR", dir)
	for _, v := range []string{"OCI", "FPP", "HUAWEI", "ZSTACK"} {
		t.Setenv("IMAGEPIPE_EMULATOR_"+v+"_ADDR", "127.0.0.1:0")
	}
	t.Setenv("IMAGEPIPE_EMULATOR_ACCESS_LOG", "false")
	t.Setenv("IMAGEPIPE_LOG_LEVEL", "error")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	env := waitForEnv(t, filepath.Join(dir, "worker.env"), done)

	ociCfg, err := oci.LoadConfigFile(env["IMAGEPIPE_OCI_CONFIG_FILE"], oci.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	ociClient, err := oci.New(ociCfg)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := ociClient.GetImage(ctx, ocisim.DemoImageID); err != nil || img.CompartmentID != ocisim.DemoTenancyID {
		t.Errorf("OCI demo image: %+v, %v", img, err)
	}
	fppClient, err := fpp.New(fpp.Config{Endpoint: env["IMAGEPIPE_FPP_ENDPOINT"], Username: env["IMAGEPIPE_FPP_USERNAME"],
		Password: env["IMAGEPIPE_FPP_PASSWORD"], CAFile: env["IMAGEPIPE_FPP_CA_FILE"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := fppClient.GetImage(ctx, "db19_gold"); err != nil {
		t.Errorf("FPP over HTTPS with the written CA: %v", err)
	}
	ims, err := huawei.New(huawei.Config{Endpoint: env["IMAGEPIPE_HUAWEI_ENDPOINT"], ProjectID: env["IMAGEPIPE_HUAWEI_PROJECT_ID"],
		AccessKey: env["IMAGEPIPE_HUAWEI_ACCESS_KEY"], SecretKey: env["IMAGEPIPE_HUAWEI_SECRET_KEY"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, found, err := ims.FindImageByName(ctx, "gold-ubuntu-22.04"); err != nil || !found {
		t.Errorf("IMS demo source image: found %v, %v", found, err)
	}
	zs, err := zstack.New(zstack.Config{Endpoint: env["IMAGEPIPE_ZSTACK_ENDPOINT"], AccountName: env["IMAGEPIPE_ZSTACK_ACCOUNT"], Password: env["IMAGEPIPE_ZSTACK_PASSWORD"]})
	if err != nil {
		t.Fatal(err)
	}
	if img, err := zs.GetImage(ctx, zstacksim.DemoImage); err != nil || img.Name != "gold-centos-7" {
		t.Errorf("ZStack demo image: %+v, %v", img, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("emulator stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("emulator did not stop when asked")
	}
}

func TestEmulator_RefusesAChaosRateOutsideZeroToOne(t *testing.T) {
	t.Setenv("IMAGEPIPE_EMULATOR_DIR", t.TempDir())
	t.Setenv("IMAGEPIPE_EMULATOR_CHAOS", "1.5")
	err := run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "IMAGEPIPE_EMULATOR_CHAOS=1.5") {
		t.Fatalf("run = %v, want the bad setting named", err)
	}
}

// Each emulator reads its own settings: a bad one stops the emulator with
// the variable named.
func TestEmulator_RefusesABadActivationDelayNamingIt(t *testing.T) {
	t.Setenv("IMAGEPIPE_EMULATOR_DIR", t.TempDir())
	for _, v := range []string{"OCI", "FPP", "HUAWEI", "ZSTACK"} {
		t.Setenv("IMAGEPIPE_EMULATOR_"+v+"_ADDR", "127.0.0.1:0")
	}
	t.Setenv("IMAGEPIPE_LOG_LEVEL", "error")
	t.Setenv("IMAGEPIPE_EMULATOR_OCI_ACTIVATION_DELAY", "soon")
	err := run(context.Background())
	if err == nil || !strings.Contains(err.Error(), `IMAGEPIPE_EMULATOR_OCI_ACTIVATION_DELAY="soon"`) {
		t.Fatalf("run = %v, want the bad setting named", err)
	}
}

func waitForEnv(t *testing.T, path string, done <-chan error) map[string]string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if f, err := os.Open(path); err == nil {
			defer f.Close()
			env := map[string]string{}
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
					env[k] = v
				}
			}
			return env
		}
		select {
		case err := <-done:
			t.Fatalf("emulator exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no worker.env")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
