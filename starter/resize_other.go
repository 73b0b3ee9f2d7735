//go:build !unix

package main

import "os"

// notifyResize: without SIGWINCH the table follows a resize at the next poll.
func notifyResize(renderer) (<-chan os.Signal, func()) { return nil, func() {} }
