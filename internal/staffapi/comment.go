package staffapi

import (
	"net/http"

	"portico/internal/domain"
	"portico/internal/store"
)

// listComments lists a task's comments, oldest first, internal ones included.
func (a *api) listComments(w http.ResponseWriter, r *http.Request, me caller) {
	var out []domain.Comment
	err := a.readTask(r, me, func(tx *store.Tx, t domain.Task) error {
		var err error
		out, err = tx.Comments(t.ID)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewComments(out))
}

type commentRequest struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal"`
}

// addComment adds a comment; internal comments never reach clients.
func (a *api) addComment(w http.ResponseWriter, r *http.Request, me caller) {
	a.postComment(w, r, func(id domain.ID, in commentRequest) (domain.Comment, error) {
		return a.svc.AddComment(me.ID, id, in.Body, in.Internal)
	})
}

// postComment reads a comment for the record named {id} and answers with what add made.
func (a *api) postComment(w http.ResponseWriter, r *http.Request,
	add func(id domain.ID, in commentRequest) (domain.Comment, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in commentRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	c, err := add(id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, viewComment(c))
}

// listDocComments lists a doc's comments, oldest first, internal ones included.
func (a *api) listDocComments(w http.ResponseWriter, r *http.Request, me caller) {
	var out []domain.Comment
	err := a.readDoc(r, me, func(tx *store.Tx, d domain.Doc) error {
		var err error
		out, err = tx.DocComments(d.ID)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewComments(out))
}

// addDocComment adds a comment on a doc; internal comments never reach clients.
func (a *api) addDocComment(w http.ResponseWriter, r *http.Request, me caller) {
	a.postComment(w, r, func(id domain.ID, in commentRequest) (domain.Comment, error) {
		return a.svc.AddDocComment(me.ID, id, in.Body, in.Internal)
	})
}

// deleteComment removes a comment, on a task or a doc; the log keeps only the fact.
func (a *api) deleteComment(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.DeleteComment(me.ID, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
