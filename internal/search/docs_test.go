package search

import (
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

func (w *world) doc(projectID domain.ID, title, body string, shared bool) domain.Doc {
	w.t.Helper()
	return must(w.svc.CreateDoc(w.owner.ID, projectID, service.DocInput{Title: &title,
		Body: &body, Shared: &shared}))(w.t)
}

func (w *world) docComment(docID domain.ID, body string, internal bool) domain.Comment {
	w.t.Helper()
	return must(w.svc.AddDocComment(w.owner.ID, docID, body, internal))(w.t)
}

func (w *world) shareDoc(docID domain.ID, shared bool) {
	w.t.Helper()
	must(w.svc.UpdateDoc(w.owner.ID, docID, service.DocInput{Shared: &shared}))(w.t)
}

// folderFile records a file of the project's linked folder the way the folder sync does.
func (w *world) folderFile(rel string, shared bool) domain.FolderFile {
	w.t.Helper()
	f := domain.FolderFile{ID: domain.NewID(), ProjectID: w.project.ID, Rel: rel, Size: 1,
		ModTime: time.Now(), SHA256: "sha-" + rel, ContentType: "text/plain", Shared: shared}
	w.putFolderFile(f, domain.ActionFolderFileAdded)
	return f
}

func (w *world) putFolderFile(f domain.FolderFile, action domain.Action) {
	w.t.Helper()
	err := w.st.Update(func(tx *store.Tx) error {
		if err := tx.PutFolderFile(f); err != nil {
			return err
		}
		_, err := tx.Log(domain.Activity{Actor: domain.Actor{Kind: domain.ActorSystem},
			Action: action, ProjectID: f.ProjectID, ObjectID: f.ID})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// TestDocsAndFolderFiles plants a word in docs, doc comments and folder files that the
// client may or may not see, and checks the client finds exactly the visible ones while
// staff find every live one.
func TestDocsAndFolderFiles(t *testing.T) {
	w := newWorld(t)
	shared := w.doc(w.project.ID, "Brand brief", "the quokka palette", true)
	comment := w.docComment(shared.ID, "love the quokka", false)
	internal := w.docComment(shared.ID, "between us: quokka budget", true)
	hidden := w.doc(w.project.ID, "Draft quokka", "", false)
	hiddenComment := w.docComment(hidden.ID, "quokka notes", false)
	other := w.newProject("Other")
	w.addClient(other.ID, "someone@else.example")
	foreign := w.doc(other.ID, "Their quokka", "", true)
	deleted := w.doc(w.project.ID, "Old quokka", "", true)
	if err := w.svc.DeleteDoc(w.owner.ID, deleted.ID); err != nil {
		t.Fatal(err)
	}
	file := w.folderFile("Deliverables/quokka_logo-v2.svg", true)
	unshared := w.folderFile("quokka-secret.pdf", false)
	removed := w.folderFile("quokka-old.pdf", true)
	removed.Deleted = true
	w.putFolderFile(removed, domain.ActionFolderFileRemoved)
	w.sync()

	res := w.find("quokka")
	visible := []domain.ID{shared.ID, comment.ID, file.ID}
	for _, id := range visible {
		if !has(res, id) {
			t.Errorf("client misses %s:\n%s", id, describe(res))
		}
	}
	if res.Total != len(visible) {
		t.Errorf("client total %d, want %d:\n%s", res.Total, len(visible), describe(res))
	}

	never := map[string]domain.ID{"internal doc comment": internal.ID, "hidden doc": hidden.ID,
		"comment on hidden doc": hiddenComment.ID, "doc of another project": foreign.ID,
		"deleted doc": deleted.ID, "unshared folder file": unshared.ID,
		"deleted folder file": removed.ID}
	for name, id := range never {
		if has(res, id) {
			t.Errorf("client finds the %s", name)
		}
	}

	staff := w.staffSearch(w.owner.ID, Query{Text: "quokka"})
	for _, id := range append(visible, internal.ID, hidden.ID, hiddenComment.ID, foreign.ID,
		unshared.ID) {
		if !has(staff, id) {
			t.Errorf("staff miss %s:\n%s", id, describe(staff))
		}
	}
	for _, id := range []domain.ID{deleted.ID, removed.ID} {
		if has(staff, id) {
			t.Errorf("staff find deleted %s", id)
		}
	}

	for _, h := range res.Hits {
		switch h.ID {
		case shared.ID, comment.ID:
			if h.DocID != shared.ID || h.Title.String() != "Brand brief" {
				t.Errorf("doc hit %+v: want doc %s titled Brand brief", h, shared.ID)
			}
		case file.ID:
			if h.Kind != KindFolderFile || h.Title.String() != file.Rel {
				t.Errorf("folder file hit %+v", h)
			}
		}
	}
}

// TestUnsharingDoc: the client's very next search after unsharing a doc finds neither
// the doc nor its comments, even before the indexer catches up; the index follows.
func TestUnsharingDoc(t *testing.T) {
	w := newWorld(t)
	d := w.doc(w.project.ID, "Proposal", "the wombat plan", true)
	c := w.docComment(d.ID, "wombat approved", false)
	w.sync()
	if res := w.find("wombat"); res.Total != 2 {
		t.Fatalf("before unsharing: %d hits:\n%s", res.Total, describe(res))
	}

	w.stopIndexer()
	w.shareDoc(d.ID, false)
	if res := w.find("wombat"); res.Total != 0 {
		t.Errorf("right after unsharing: %d hits:\n%s", res.Total, describe(res))
	}

	w.startIndexer()
	w.sync()
	if ids := w.filteredOnly("wombat"); len(ids) != 0 {
		t.Errorf("index still admits %v", ids)
	}

	w.shareDoc(d.ID, true)
	w.sync()
	res := w.find("wombat")
	if !has(res, d.ID) || !has(res, c.ID) {
		t.Errorf("after sharing again:\n%s", describe(res))
	}
}

// TestRebuildIndexesDocs: a rebuild reads docs, doc comments and folder files.
func TestRebuildIndexesDocs(t *testing.T) {
	w := newWorld(t)
	d := w.doc(w.project.ID, "Meeting notes", "numbat agenda", true)
	c := w.docComment(d.ID, "numbat follow-up", false)
	f := w.folderFile("numbat.txt", true)
	w.sync()
	w.stopIndexer()
	if err := w.ix.Rebuild(t.Context()); err != nil {
		t.Fatal(err)
	}

	res := w.find("numbat")
	for _, id := range []domain.ID{d.ID, c.ID, f.ID} {
		if !has(res, id) {
			t.Errorf("after rebuild, client misses %s:\n%s", id, describe(res))
		}
	}
}
