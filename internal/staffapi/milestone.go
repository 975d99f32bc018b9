package staffapi

import (
	"cmp"
	"net/http"
	"slices"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// listMilestones lists a project's milestones in display order, each with its progress.
func (a *api) listMilestones(w http.ResponseWriter, r *http.Request, me caller) {
	var out []milestoneView
	err := a.readProject(r, me, func(tx *store.Tx, p domain.Project) error {
		var err error
		out, err = projectMilestones(tx, p.ID)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

func projectMilestones(tx *store.Tx, projectID domain.ID) ([]milestoneView, error) {
	milestones, err := tx.Milestones(projectID)
	if err != nil {
		return nil, err
	}
	tasks, err := tx.Tasks(projectID, false)
	if err != nil {
		return nil, err
	}
	counts := map[domain.ID]*progress{}
	for _, t := range tasks {
		if t.MilestoneID == "" {
			continue
		}
		if counts[t.MilestoneID] == nil {
			counts[t.MilestoneID] = &progress{}
		}
		counts[t.MilestoneID].add(t)
	}
	out := make([]milestoneView, 0, len(milestones))
	for _, m := range milestones {
		v := milestoneView{Milestone: m}
		if c := counts[m.ID]; c != nil {
			v.Progress = *c
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(x, y milestoneView) int {
		return cmp.Compare(x.Order, y.Order)
	})
	return out, nil
}

// createMilestone adds a milestone; shared defaults to the project's auto-share toggle.
func (a *api) createMilestone(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.MilestoneInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	m, err := a.svc.CreateMilestone(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, milestoneView{Milestone: m})
}

// updateMilestone changes a milestone's title, due date, shared switch or order.
func (a *api) updateMilestone(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.MilestoneInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	m, err := a.svc.UpdateMilestone(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	v := milestoneView{Milestone: m}
	err = a.svc.Store().View(func(tx *store.Tx) error {
		all, err := projectMilestones(tx, m.ProjectID)
		for _, mv := range all {
			if mv.ID == m.ID {
				v = mv
			}
		}
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// deleteMilestone removes a milestone; its tasks stay in the project.
func (a *api) deleteMilestone(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.DeleteMilestone(me.ID, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
