//go:build !desktop

package main

import "io"

// desktop explains that this build has no window: it is the server build, for hosts
// without GTK and WebKit.
func desktop(_ []string, _, _ io.Writer) error {
	return errNoWindow("this is the server build of Portico, which has no desktop window")
}
