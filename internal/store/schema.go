package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Every bucket, declared once. Index buckets map a composite key ("parent/child") to a
// small value, so listing children is a prefix scan.
var (
	bucketMeta             = []byte("meta")
	bucketStaff            = []byte("staff")
	bucketStaffByEmail     = []byte("staff_by_email")
	bucketClients          = []byte("clients")
	bucketClientsByEmail   = []byte("clients_by_email")
	bucketWorkspaces       = []byte("workspaces")
	bucketProjects         = []byte("projects")
	bucketMilestones       = []byte("milestones")
	bucketMilestonesByProj = []byte("milestones_by_project")
	bucketTasks            = []byte("tasks")
	bucketTasksByProject   = []byte("tasks_by_project")
	bucketComments         = []byte("comments")
	bucketCommentsByTask   = []byte("comments_by_task")
	bucketFiles            = []byte("files")
	bucketFilesByTask      = []byte("files_by_task")
	bucketFilesByBlob      = []byte("files_by_blob")
	bucketDocs             = []byte("docs")
	bucketDocsByProject    = []byte("docs_by_project")
	bucketDocVersions      = []byte("doc_versions")
	bucketCommentsByDoc    = []byte("comments_by_doc")
	bucketMembers          = []byte("members")
	bucketMemberProjects   = []byte("member_projects")
	bucketTokens           = []byte("tokens")
	bucketTokensByUser     = []byte("tokens_by_user")
	bucketSessions         = []byte("sessions")
	bucketSessionsByUser   = []byte("sessions_by_user")
	bucketActivity         = []byte("activity")
	bucketActivityByProj   = []byte("activity_by_project")
	bucketSettings         = []byte("settings")
	bucketFolderLinks      = []byte("folder_links")
	bucketFolderFiles      = []byte("folder_files")
	bucketFolderByProj     = []byte("folder_files_by_project")
	bucketFolderByRel      = []byte("folder_files_by_rel")
	bucketFolderByBlob     = []byte("folder_files_by_blob")
	bucketFolderUploads    = []byte("folder_uploads")
)

var allBuckets = [][]byte{
	bucketMeta, bucketStaff, bucketStaffByEmail, bucketClients, bucketClientsByEmail,
	bucketWorkspaces, bucketProjects, bucketMilestones, bucketMilestonesByProj, bucketTasks,
	bucketTasksByProject, bucketComments, bucketCommentsByTask, bucketFiles, bucketFilesByTask,
	bucketFilesByBlob, bucketDocs, bucketDocsByProject, bucketDocVersions, bucketCommentsByDoc,
	bucketMembers, bucketMemberProjects, bucketTokens, bucketTokensByUser, bucketSessions,
	bucketSessionsByUser, bucketActivity, bucketActivityByProj, bucketSettings,
	bucketFolderLinks, bucketFolderFiles, bucketFolderByProj, bucketFolderByRel, bucketFolderByBlob,
	bucketFolderUploads,
}

var keySchemaVersion = []byte("schema_version")

// migrations[i] moves a database from schema version i to i+1. A new release appends to
// this list and never edits an entry that has shipped. A new bucket needs no entry: every
// bucket above is created, when missing, each time the database opens.
var migrations = []func(*bolt.Tx) error{
	// 0 → 1: the first release; the buckets above are created before migrations run.
	func(*bolt.Tx) error { return nil },
}

// SchemaVersion is the version this build writes.
var SchemaVersion = uint64(len(migrations))

func migrate(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := tx.Bucket(bucketMeta)
	version := uint64(0)
	if v := meta.Get(keySchemaVersion); v != nil {
		version = binary.BigEndian.Uint64(v)
	}
	if version > SchemaVersion {
		return fmt.Errorf("database schema version %d is newer than this build (%d)",
			version, SchemaVersion)
	}
	for ; version < SchemaVersion; version++ {
		if err := migrations[version](tx); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", version, version+1, err)
		}
	}
	return meta.Put(keySchemaVersion, u64(version))
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
