package portal

import (
	"net/http"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/store"
)

// homePage lists the projects shared with the client.
type homePage struct {
	Projects []domain.Project
}

// home lists the projects the client may see now.
func (p *Portal) home(w http.ResponseWriter, r *http.Request, c client) {
	var page homePage
	err := p.svc.Store().View(func(tx *store.Tx) error {
		var err error
		page.Projects, err = access.Projects(tx, c.ID)
		return err
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}

	p.render(w, http.StatusOK, "home", view{Title: "Your projects", SignedIn: true, Data: page})
}
