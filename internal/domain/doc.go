// Package domain holds Portico's records (staff, clients, workspaces, projects, milestones,
// tasks, docs and their versions, comments, files, memberships, tokens, sessions and
// activity entries) and the rules that make a record valid. It has no storage and no
// transport: the store persists these types, the access policy reads them, and the APIs
// translate them.
package domain
