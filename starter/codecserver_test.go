package main

import (
	"slices"
	"strings"
	"testing"
)

// With no origins given, the codec server lets in the web UI the links
// point at, under both loopback names; given origins are checked.
func TestCorsOrigins_DefaultIsTheLinkedUIAndListsAreChecked(t *testing.T) {
	for _, tc := range []struct{ list, ui, want string }{
		{"", "http://localhost:8233", "http://localhost:8233 http://127.0.0.1:8233"},
		{"", "https://temporal.example.com/ui", "https://temporal.example.com"},
		{"https://a.example, http://b.example:8080/", "http://localhost:8233", "https://a.example http://b.example:8080"},
		{"*", "http://localhost:8233", "*"},
	} {
		got, err := corsOrigins(tc.list, tc.ui)
		if err != nil || !slices.Equal(got, strings.Fields(tc.want)) {
			t.Errorf("corsOrigins(%q, %q) = %v, %v; want %s", tc.list, tc.ui, got, err, tc.want)
		}
	}
	if _, err := corsOrigins("https://a.example/path", ""); err == nil || !strings.Contains(err.Error(), "IMAGEPIPE_CODEC_CORS_ORIGINS") {
		t.Errorf("an origin with a path: %v; want an error naming the variable", err)
	}
}
