package foldersync

import (
	"errors"
	"fmt"
	"syscall"
	"time"
)

// watchLimitMessage tells staff, and the host, why changes arrive late and what to raise.
// Portico never changes kernel settings itself.
const watchLimitMessage = "Portico cannot watch every subfolder of this folder: the system's " +
	"limit on watched folders (fs.inotify.max_user_watches) is reached. Changes are picked up " +
	"by reading the folder again every %s. To see them at once, the host can raise the limit, " +
	"for example with: sudo sysctl fs.inotify.max_user_watches=524288"

// instanceLimitMessage is the same for the limit on watchers per user.
const instanceLimitMessage = "Portico cannot watch this folder: the system's limit on file " +
	"watchers (fs.inotify.max_user_instances) is reached. Changes are picked up by reading " +
	"the folder again every %s. To see them at once, the host can raise the limit, for " +
	"example with: sudo sysctl fs.inotify.max_user_instances=512"

// otherLimitMessage covers a watcher that failed for another reason.
const otherLimitMessage = "Portico cannot watch this folder (%v). Changes are picked up by " +
	"reading the folder again every %s."

// isWatchLimit reports whether adding a watch failed because the per-user watch limit is
// reached: inotify says ENOSPC.
func isWatchLimit(err error) bool {
	return errors.Is(err, syscall.ENOSPC)
}

// limitMessage explains a watcher that could not be created or a watch that could not be
// added.
func limitMessage(err error, every time.Duration) string {
	switch {
	case isWatchLimit(err):
		return fmt.Sprintf(watchLimitMessage, every)
	case errors.Is(err, syscall.EMFILE):
		return fmt.Sprintf(instanceLimitMessage, every)
	default:
		return fmt.Sprintf(otherLimitMessage, err, every)
	}
}
