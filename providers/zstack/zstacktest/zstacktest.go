// Package zstacktest serves the ZStack emulator (zstacksim) for the
// duration of a test, with a client logged in as a worker logs in, the way
// net/http/httptest serves a handler. Sim finds the emulator among those a
// test environment serves.
package zstacktest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// ZStack is the ZStack emulator and a client logged in as its admin.
type ZStack struct {
	Sim    *zstacksim.Server
	Client *zstack.Client
	URL    string
}

// New serves a ZStack emulator with opts for the test's duration, the
// client logging in as the one account opts give (the demo admin when they
// give none); wrap, when not nil, wraps the client's transport.
func New(t testing.TB, opts zstacksim.Options, wrap simkit.Wrap) *ZStack {
	t.Helper()
	sim := zstacksim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	account, password := zstacksim.DemoAccount, zstacksim.DemoPassword
	for name, pw := range opts.Accounts { // the one account the test gave, if any
		account, password = name, pw
	}
	client, err := zstack.New(zstack.Config{Endpoint: srv.URL, AccountName: account, Password: password, HTTPClient: wrap.Client(http.DefaultTransport)})
	if err != nil {
		t.Fatal(err)
	}
	return &ZStack{Sim: sim, Client: client, URL: srv.URL}
}

// Sim is the ZStack emulator among the emulators set serves.
func Sim(set simkit.ServedSet) *zstacksim.Server {
	return simkit.SimOf[*zstacksim.Server](set, zstacksim.Emulated())
}
