package staffapi

import (
	"cmp"
	"net/http"
	"slices"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// listTasks lists a project's tasks in display order (by order, then creation).
func (a *api) listTasks(w http.ResponseWriter, r *http.Request, me caller) {
	var out []domain.Task
	err := a.readProject(r, me, func(tx *store.Tx, p domain.Project) error {
		var err error
		out, err = tx.Tasks(p.ID, false)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	slices.SortStableFunc(out, func(x, y domain.Task) int {
		return cmp.Or(cmp.Compare(x.Order, y.Order), x.Created.Compare(y.Created))
	})
	views := make([]taskView, 0, len(out))
	for _, t := range out {
		views = append(views, viewTask(t))
	}
	writeJSON(w, http.StatusOK, views)
}

// createTask adds a task; shared defaults to the project's auto-share toggle.
func (a *api) createTask(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.TaskInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	t, err := a.svc.CreateTask(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, viewTask(t))
}

func (a *api) getTask(w http.ResponseWriter, r *http.Request, me caller) {
	var t domain.Task
	err := a.readTask(r, me, func(tx *store.Tx, task domain.Task) error {
		t = task
		return nil
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewTask(t))
}

// readTask runs fn in a read transaction with the task named in the path, when the caller
// may reach its project.
func (a *api) readTask(r *http.Request, me caller, fn func(*store.Tx, domain.Task) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.svc.Store().View(func(tx *store.Tx) error {
		t, _, err := service.StaffTask(tx, me.ID, id)
		if err != nil {
			return err
		}
		return fn(tx, t)
	})
}

// updateTask changes any of a task's fields; a status change to or from done records the
// completion or reopening. A new description sent with base_description_hash is refused
// with 409 when someone else saved another description since that base.
func (a *api) updateTask(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.TaskInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	t, err := a.svc.UpdateTask(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewTask(t))
}

// deleteTask removes a task with its comments and files; the log keeps only the fact.
func (a *api) deleteTask(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.DeleteTask(me.ID, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
