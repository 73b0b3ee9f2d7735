package temporalconf

import (
	"fmt"
	"os"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
)

// namespaceSource says where namespace ns came from, for messages about
// it: TEMPORAL_NAMESPACE when set (the SDK lets it override the profile
// even when empty), else the profile file's namespace, else the SDK's
// default. An operator told to fix TEMPORAL_NAMESPACE when a mounted
// profile named the namespace would look in the wrong place.
func namespaceSource(ns string) string {
	if v, ok := os.LookupEnv("TEMPORAL_NAMESPACE"); ok {
		if v == "" {
			return fmt.Sprintf("namespace %q (TEMPORAL_NAMESPACE is set but empty, so the default)", ns)
		}
		return fmt.Sprintf("TEMPORAL_NAMESPACE=%q", v)
	}
	file, fileFrom := os.Getenv("TEMPORAL_CONFIG_FILE"), "TEMPORAL_CONFIG_FILE"
	if file == "" {
		file, fileFrom = envconfig.DefaultConfigFilePath(), "the default profile file"
	}
	profile, profileFrom := os.Getenv("TEMPORAL_PROFILE"), "TEMPORAL_PROFILE"
	if profile == "" {
		profile, profileFrom = envconfig.DefaultConfigFileProfile, "the default profile"
	}
	// The profile alone, as Load read it, without the variables on top.
	p, err := envconfig.LoadClientConfigProfile(envconfig.LoadClientConfigProfileOptions{DisableEnv: true})
	if err == nil && p.Namespace != "" {
		return fmt.Sprintf("namespace %q of profile %q (%s) in %s (%s)", p.Namespace, profile, profileFrom, file, fileFrom)
	}
	return fmt.Sprintf("namespace %q (the default: neither TEMPORAL_NAMESPACE nor profile %q in %s sets one)", client.DefaultNamespace, profile, file)
}
