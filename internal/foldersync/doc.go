// Package foldersync keeps a project's linked folder on disk in step with the project: it
// watches the folder recursively with fsnotify, waits until changed files are stable, and
// reports additions, changes and removals to a Sink, which owns storage. It also writes
// client uploads into the folder without having them imported back.
//
// How real editors, copies and drives come out:
//
//   - Every event only marks a path as "to check". A path is checked once nothing happened
//     to it for the stability window (Options.Stability), and again until its size and
//     modification time hold still, so the many events of one save or of a long copy give
//     one import. An atomic save (write a temporary file and rename it over the original,
//     or rename the original away first) leaves the path present at check time, so it
//     gives one Upsert of the same name, never a Remove and a new file.
//   - A new subfolder is watched first and listed right after, so files created together
//     with it are found by the listing or by their own events.
//   - Content is read through a reader that fails with ErrChanged when the file changes
//     while it is read; the file is then checked again later, so an import is never cut
//     short or mixed. A file still open for writing by a program (a copy from a slow
//     share that paused for longer than the stability window) waits until it is closed,
//     for at most Options.WriteHold; on Linux the kernel answers that through a read
//     lease, elsewhere the stability window alone decides.
//   - Hidden files and folders and the temporary and lock files of common editors,
//     office suites and browsers are never reported (see Ignored). Symbolic links are
//     neither followed nor reported, so nothing outside the folder can be reached.
//   - Names are reported in Unicode NFC, with invalid UTF-8 replaced by U+FFFD. When two
//     names on disk have the same NFC form (one written decomposed, one composed), they
//     are one file for the project: the name already in NFC wins, otherwise the smaller
//     byte string; the other is set aside, its edits ignored, and it takes over (as an
//     update, not a removal) when the winner disappears. Renaming a file between the two
//     forms changes nothing.
//   - When the watch limit is reached, the folder is reported degraded with a message
//     naming fs.inotify.max_user_watches, the folders that are watched stay live, and the
//     whole folder is read again every Options.RescanInterval until every folder can be
//     watched.
//   - When the folder itself disappears (moved, deleted, or its drive unmounted, which no
//     event announces and a presence check every Options.RootCheckInterval notices), it
//     is reported offline and nothing is removed; when it is back, it is read again and
//     reconciled. A folder that is empty while the Sink has files from it is taken for
//     an unmounted drive's mount point and reported offline too.
//   - When a folder is linked (so at every start), the whole folder is read and reconciled
//     with what the Sink has (Sink.Known): new files and files whose size or modification
//     time differ are imported, files no longer there are removed.
//   - Files written by WriteIncoming are recorded as already synced before they appear,
//     so their events trigger no import; the caller records them itself.
package foldersync
