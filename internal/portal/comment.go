package portal

import (
	"errors"
	"net/http"

	"portico/internal/domain"
)

// maxCommentForm leaves room for a comment of domain.MaxComment bytes, percent-encoded.
const maxCommentForm = 3*domain.MaxComment + 4096

// comment adds the client's comment to a visible task and goes back to the task page. A
// refused comment (empty, too long) shows the page again with the draft and the reason.
func (p *Portal) comment(w http.ResponseWriter, r *http.Request, c client) {
	p.postComment(w, r, "/t/", func(id domain.ID, body string) error {
		_, err := p.svc.ClientComment(c.ID, id, body)
		return err
	}, func(id domain.ID, draft, reason string) {
		p.showTask(w, r, c, id, http.StatusBadRequest, func(page *taskPage) {
			page.Draft, page.CommentError = draft, reason
		})
	})
}

// postComment is the shared shape of the comment forms on task and doc pages: read the
// form, add the comment, then go back to the page (prefix + ID) or show it again with the
// draft and the reason the comment was refused.
func (p *Portal) postComment(w http.ResponseWriter, r *http.Request, prefix string,
	add func(id domain.ID, body string) error, reshow func(id domain.ID, draft, reason string)) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	if err := readForm(w, r, maxCommentForm); err != nil {
		p.fail(w, r, err)
		return
	}

	body := r.PostForm.Get("body")
	err := add(id, body)
	var invalid *domain.ValidationError
	switch {
	case errors.As(err, &invalid):
		reshow(id, body, userMessage(err))
	case err != nil:
		p.fail(w, r, err)
	default:
		http.Redirect(w, r, prefix+string(id)+"#comments", http.StatusSeeOther)
	}
}
