"""The user's stars, tags, read marks and notes, kept in memory and saved to `library.toml`.

    marks.py     each paper's mark, snapshots of the papers kept, the tags; queries and changes;
                 the changes since the last save, merged onto what another instance saved
    history.py   undo: the changes inside one step(), the newest UNDO_STEPS steps
    citekeys.py  citation keys pinned in the file: merged with another instance's, written fast
    document.py  the TOML format: bytes to checked plain data, marks to text
    file.py      Library: load, save under the lock merging another instance's saves, a damaged
                 file set aside, rescue copies when the file cannot be written
"""

from ..model import Mark
from .document import LIBRARY_VERSION
from .file import Library, rescue_paths
from .history import UNDO_STEPS, Step
from .marks import NO_MARK, SNAPSHOT_FIELDS, LibraryError, clean_note, clean_tag, snapshot

__all__ = [
    "LIBRARY_VERSION",
    "NO_MARK",
    "SNAPSHOT_FIELDS",
    "UNDO_STEPS",
    "Library",
    "LibraryError",
    "Mark",
    "Step",
    "clean_note",
    "clean_tag",
    "rescue_paths",
    "snapshot",
]
