// Command testprogress runs `go test -json ...` and prints its progress as it
// goes, for `make test`: go test's plain output shows a package only when all
// of its tests are done, which leaves minutes without a line.
//
//	testprogress [-heartbeat 1m] go test -json -race ./...
//
// It prints a line for each top-level test as it finishes (result, name,
// duration, package), a line for each package (like go test's own), the full
// output of every failed test and failed package (panics and timeouts
// included), build errors as they come, and, when nothing else was printed for
// a while, which tests are still running. Lines that are not JSON (go
// downloading modules, say) are printed as they are; the command's standard
// error is passed through. It exits with the command's exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	flags := flag.NewFlagSet("testprogress", flag.ContinueOnError)
	heartbeat := flags.Duration("heartbeat", time.Minute, "after this long without a line, say what is still running (0: never)")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "usage: testprogress [-heartbeat DURATION] go test -json [flags] [packages]")
		flags.PrintDefaults()
	}
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if flags.NArg() == 0 {
		flags.Usage()
		os.Exit(2)
	}
	os.Exit(run(flags.Args(), os.Stdout, os.Stderr, *heartbeat))
}

// run runs the command, reporting its JSON events on out, and returns its
// exit code.
func run(command []string, out, errOut io.Writer, heartbeat time.Duration) int {
	// Ctrl-C reaches go test too (same process group): keep reading until it
	// has said what failed and exited, then exit with its code.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)

	cmd := exec.CommandContext(context.Background(), command[0], command[1:]...)
	cmd.Stderr = errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(errOut, "testprogress:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(errOut, "testprogress:", err)
		return 1
	}
	r := newReporter(out, time.Now)
	r.consume(stdout, heartbeat)
	waitErr := cmd.Wait()
	r.finish()
	return exitCode(waitErr, errOut)
}

func exitCode(err error, errOut io.Writer) int {
	if err == nil {
		return 0
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if code := exit.ExitCode(); code >= 0 {
			return code
		}
		if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			return 128 + int(status.Signal())
		}
	}
	fmt.Fprintln(errOut, "testprogress:", err)
	return 1
}
