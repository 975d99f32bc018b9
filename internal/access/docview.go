package access

import (
	"portico/internal/domain"
	"portico/internal/store"
)

// DocView is what a client sees of one doc.
type DocView struct {
	Project  domain.Project
	Doc      domain.Doc
	Comments []domain.Comment
}

// ViewDoc returns the client's view of a doc with its visible comments, oldest first.
func ViewDoc(tx *store.Tx, clientID, docID domain.ID) (DocView, error) {
	d, err := Doc(tx, clientID, docID)
	if err != nil {
		return DocView{}, err
	}
	p, err := Project(tx, clientID, d.ProjectID)
	if err != nil {
		return DocView{}, err
	}
	comments, err := tx.DocComments(d.ID)
	if err != nil {
		return DocView{}, err
	}
	view := DocView{Project: p, Doc: d}
	for _, c := range comments {
		if !c.Internal {
			view.Comments = append(view.Comments, c)
		}
	}
	return view, nil
}
