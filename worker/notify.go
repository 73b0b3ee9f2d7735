package main

import (
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// notifyVariables are the IMAGEPIPE_NOTIFY_* variables of environ, by name,
// with their values: the webhook URLs a pipeline's notify url_env may name.
func notifyVariables(environ []string) map[string]string {
	vars := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, pipeline.NotifyEnvPrefix) {
			vars[k] = v
		}
	}
	return vars
}

// checkNotifyVariables reports each webhook URL the worker holds that no
// post could reach, at start rather than at a pipeline's end. The value is
// never shown: a webhook's URL is usually its secret.
func checkNotifyVariables(environ []string, problems *settingsError) {
	vars := notifyVariables(environ)
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if pipeline.CheckWebhookURL(vars[k]) != nil {
			problems.Add("%s: not an http:// or https:// URL with a host (its value is not shown: a webhook's URL holds its token); want the webhook's URL, which a pipeline's notify url_env: %s posts to", k, k)
		}
	}
}

// notifications configures the Notify activity from cfg: its links go to
// the web UI the starter's do (IMAGEPIPE_UI_URL, read by temporalconf).
func notifications(cfg config) *activities.Notifier {
	return &activities.Notifier{UIURL: cfg.temporal.UIURL}
}

// logNotifyVariables says which webhooks pipelines may name, by variable,
// and where their messages link to.
func logNotifyVariables(log *zap.Logger, cfg config, environ []string) {
	var names []string
	for k := range notifyVariables(environ) {
		names = append(names, k)
	}
	slices.Sort(names)
	log.Info("notification webhooks", zap.Strings("variables", names), zap.String("web_ui", cfg.temporal.UIURL))
}
