package server

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"portico/internal/search"
)

// reindexCommand rebuilds the search index from the database. In the Portico that holds
// the data folder it asks the running index to rebuild, which it does in the background
// while searches answer that the index is being rebuilt; the command reports the start
// and waits for the end, and a caller who leaves early does not stop it. Without a
// running Portico it opens the index itself and rebuilds it before returning.
func reindexCommand(ctx context.Context, f *folder, _, stderr io.Writer) error {
	if f.index != nil {
		return reindexRunning(ctx, f.index, stderr)
	}

	ix, err := search.Open(filepath.Join(f.dir, indexDir), f.store, nil, search.Options{})
	if err != nil {
		return fmt.Errorf("open search index: %w", err)
	}

	start, before := time.Now(), ix.Stats().Written
	fmt.Fprintf(stderr, "rebuilding the search index of %s\n", f.dir)
	err = ix.Rebuild(ctx)
	if closeErr := ix.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}

	fmt.Fprintf(stderr, "search index rebuilt in %s: %d documents written\n",
		time.Since(start).Round(time.Millisecond), ix.Stats().Written-before)
	return nil
}

// reindexRunning rebuilds the index of the running server. The rebuild belongs to the
// index, not to the command: Close stops it when Portico stops, and the command's context
// ending only stops the waiting.
func reindexRunning(ctx context.Context, ix *search.Index, stderr io.Writer) error {
	start, before := time.Now(), ix.Stats().Written
	done := make(chan error, 1)
	go func() { done <- ix.Rebuild(context.Background()) }()
	fmt.Fprintln(stderr, "search index rebuild started in the running Portico; "+
		"searches answer that the index is being rebuilt until it is done")

	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("rebuild search index: %w", err)
		}
	case <-ctx.Done():
		return ctx.Err()
	}

	fmt.Fprintf(stderr, "search index rebuilt in %s: %d documents written\n",
		time.Since(start).Round(time.Millisecond), ix.Stats().Written-before)
	return nil
}
