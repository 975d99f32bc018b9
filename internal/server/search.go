package server

import (
	"context"
	"fmt"

	"portico/internal/search"
)

// indexDir is the search index's folder inside the data folder. The index is derived
// from the database: deleting the folder only costs a rebuild.
const indexDir = "index"

// openSearch opens the search index of the data folder, after the database, whose lock
// keeps any other Portico away from the index too. A missing, damaged or outdated index
// opens empty and is rebuilt in the background once the indexer runs.
func (s *Server) openSearch() error {
	ix, err := search.Open(s.path(indexDir), s.store, s.hub, search.Options{Logger: s.log})
	if err != nil {
		return fmt.Errorf("open search index: %w", err)
	}
	s.search = ix
	s.indexLag = func() uint64 {
		_, lag := ix.Status()
		return lag
	}
	return nil
}

// startSearch runs the indexer until ctx ends or closeSearch is called.
func (s *Server) startSearch(ctx context.Context) {
	ctx, s.stopIndexer = context.WithCancel(ctx)
	done := make(chan struct{})
	s.indexerDone = done
	go func() {
		defer close(done)
		if err := s.search.Run(ctx); err != nil {
			s.log.Error("search indexer stopped", "error", err)
		}
	}()
}

// closeSearch stops the indexer, waits for it and closes the index. It runs before the
// database closes, since the indexer reads it.
func (s *Server) closeSearch() {
	if s.search == nil {
		return
	}
	if s.stopIndexer != nil {
		s.stopIndexer()
		<-s.indexerDone
	}
	if err := s.search.Close(); err != nil {
		s.log.Error("close search index", "error", err)
	}
}

// closeData closes the search index, then the database.
func (s *Server) closeData() error {
	s.closeSearch()
	return s.store.Close()
}
