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
	_, err := p.svc.ClientComment(c.ID, id, body)
	var invalid *domain.ValidationError
	switch {
	case errors.As(err, &invalid):
		p.showTask(w, r, c, id, http.StatusBadRequest, func(page *taskPage) {
			page.Draft, page.CommentError = body, userMessage(err)
		})
	case err != nil:
		p.fail(w, r, err)
	default:
		http.Redirect(w, r, "/t/"+string(id)+"#comments", http.StatusSeeOther)
	}
}
