package portal

import (
	"net/http"
)

// setDone returns the handler that completes (done) or reopens a task assigned to the
// client, then goes back to the task page. A visible task assigned to someone else is
// refused (403); a hidden one is missing (404).
func (p *Portal) setDone(done bool) clientHandler {
	return func(w http.ResponseWriter, r *http.Request, c client) {
		id, ok := pathID(r)
		if !ok {
			p.notFound(w, r)
			return
		}

		if _, err := p.svc.SetTaskDone(c.ID, id, done); err != nil {
			p.fail(w, r, err)
			return
		}

		http.Redirect(w, r, "/t/"+string(id), http.StatusSeeOther)
	}
}
