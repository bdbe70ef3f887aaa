"""The PDF annex rendered in parts, in parallel, then put together into one tagged PDF.

WeasyPrint lays out and draws one document on one core, and most of a report's time is
spent there; its memory grows with the document. So each part (the headline tables, each
section, the appendix) is an HTML document of its own, rendered in a separate process;
the front matter (cover, contents, notes) is rendered last, once the page each table
starts on is known, and the parts are merged with pikepdf, keeping every part's structure
tree (tags), so the merged file is as accessible as each part. The parts are rendered by
Celery tasks on any worker (services.report_job_run) or, for build_report, by child
processes here (render_parts).

This module knows nothing of Django: it turns HTML strings into PDF bytes, so the child
processes need import only WeasyPrint (they hold no database connection and start small).
"""

import io
import os
import pickle
import queue
import re
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PDF_VARIANT = "pdf/ua-1"


@dataclass
class RenderedPart:
    pdf: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # element id → page index within the part


def render_part(html: str, base_url: str, links_elsewhere: Iterable[str] = ()) -> RenderedPart:
    """One part as a tagged PDF (PDF/UA-1). links_elsewhere: ids this part links to that
    another part holds (the contents page): WeasyPrint drops a link to an id it cannot see,
    so they are declared here and point at the right page once merged (merge_parts)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url).render()
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:  # an element split over pages is listed on each: keep its first
            anchors.setdefault(name, index)
    missing = [name for name in links_elsewhere if name not in anchors]
    if missing and document.pages:
        for name in missing:
            document.pages[0].anchors[name] = (0, 0, 0, 0)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPart(pdf, len(document.pages), anchors)


class _Renderer:
    """A child Python process that renders parts one after another (this module run as a
    script): a plain child process, because a Celery pool worker may not start
    multiprocessing children. It pays its start-up (Python, WeasyPrint, fonts) once,
    however many parts it renders."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reports.pdf_parts"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )

    def call(self, function: str, *args):
        """CHILD_FUNCTIONS[function](*args), in the child."""
        assert self.process.stdin and self.process.stdout
        try:
            _send(self.process.stdin, (function, args))
            return _receive(self.process.stdout)
        except (BrokenPipeError, EOFError):
            self.process.kill()
            error = self.process.stderr.read().decode()[-1000:] if self.process.stderr else ""
            raise RuntimeError(f"rendering a part of the PDF failed: {error}") from None

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _send(stream, value) -> None:
    data = pickle.dumps(value)
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def _receive(stream):
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError
    data = stream.read(int.from_bytes(header, "big"))
    return pickle.loads(data)  # noqa: S301 - our own parent's or child's message


class RendererPool:
    """Renderer child processes started at once, before the caller has anything to render:
    their start-up (Python, WeasyPrint, fonts: about 0.65 s each) overlaps the caller's
    counting and templates, and they stay warm for the parts and the assembly. Use as a
    context manager; one process (or none, for processes <= 1) renders in the caller."""

    def __init__(self, processes: int, spare: bool = False) -> None:
        self.renderers = [_Renderer() for _ in range(processes)] if processes > 1 else []
        # A fresh process kept for the merge: a renderer that has laid out parts keeps the
        # memory it took, and the merge (every part's structure tree) would come on top.
        self.spare = _Renderer() if spare and self.renderers else None

    def __enter__(self) -> "RendererPool":
        return self

    def __exit__(self, *exc) -> None:
        for renderer in [*self.renderers, *([self.spare] if self.spare else [])]:
            renderer.close()


def render_parts(
    htmls: list[str],
    base_url: str,
    processes: int,
    done: Callable[[int, int], None] = lambda n, total: None,
    pool: RendererPool | None = None,
) -> list[RenderedPart]:
    """Render each HTML document as a part, in `processes` child processes at a time (the
    pool's, if given), each rendering parts until none are left; done(parts finished, parts)
    is called as each finishes (the job's progress). Returned in the given order."""
    if pool is not None and pool.renderers:
        processes = len(pool.renderers)
    if processes <= 1 or len(htmls) <= 1:
        rendered = []
        for html in htmls:
            rendered.append(render_part(html, base_url))
            done(len(rendered), len(htmls))
        return rendered
    # Longest first, so the last part to start is a short one and the cores finish together.
    waiting = queue.SimpleQueue()
    for index in sorted(range(len(htmls)), key=lambda i: -len(htmls[i])):
        waiting.put(index)
    results: dict[int, RenderedPart] = {}
    lock = threading.Lock()

    def work(renderer: "_Renderer | None") -> None:
        own = renderer is None
        renderer = renderer or _Renderer()
        try:
            while True:
                try:
                    index = waiting.get_nowait()
                except queue.Empty:
                    return
                part = renderer.call("render_part", htmls[index], base_url)
                with lock:
                    results[index] = part
                    done(len(results), len(htmls))
        finally:
            if own:
                renderer.close()

    workers = min(processes, len(htmls))
    given = pool.renderers[:workers] if pool is not None and pool.renderers else [None] * workers
    with ThreadPoolExecutor(max_workers=workers) as threads:
        for future in [threads.submit(work, renderer) for renderer in given]:
            future.result()
    return [results[i] for i in range(len(htmls))]


PAGE_SLOT = re.compile(r"\[\[page:([^\]]*)\]\]")
NUMBERS_PAGE = '<div class="blank"></div>'  # one page of the page-numbers document


def page_slot(anchor: str) -> str:
    """Where the front matter's contents print the page an anchor starts on, filled in by
    assemble once the parts are rendered (the front matter is planned before they are)."""
    return f"[[page:{anchor}]]"


@dataclass
class PdfPlan:
    """A PDF annex ready to render: its parts' HTML (rendered anywhere, in any order), the
    front matter's, whose contents have slots for page numbers, and the page-numbers
    document's with one page (NUMBERS_PAGE), repeated for as many pages as there are."""

    title: str
    front: str
    parts: list[str]
    bookmarks: list["Bookmark"]
    numbers: str
    base_url: str


def front_probe(plan: PdfPlan) -> str:
    """The front matter with every page number "000": rendered with the parts, it tells the
    assembly how many pages the front matter takes and where its own anchors fall, so the
    assembly usually renders it once, with the real numbers."""
    return PAGE_SLOT.sub("000", plan.front)


def front_matter(plan: PdfPlan, rendered: list[RenderedPart], probe: RenderedPart | None = None) -> RenderedPart:
    """The front matter, whose contents give the page each table starts on. probe: the
    front_probe rendered, if it was."""
    slots = set(PAGE_SLOT.findall(plan.front))
    # The contents' length hardly depends on the page numbers it prints, so once the front
    # matter's page count is known (from the probe, or a first pass) its numbers are right.
    front_pages, front_anchors, front = 2, {"contents": 1, "about": 2}, None
    if probe is not None:
        front_pages, front_anchors = probe.pages, probe.anchors
    for _ in range(3):
        pages = front_pages
        starts = {anchor: index + 1 for anchor, index in front_anchors.items()}
        for part in rendered:
            for anchor, index in part.anchors.items():
                starts.setdefault(anchor, pages + index + 1)
            pages += part.pages
        html = PAGE_SLOT.sub(lambda m, starts=starts: str(starts.get(m.group(1), "")), plan.front)
        front = render_part(html, plan.base_url, [a for a in slots if a in starts])
        if front.pages == front_pages and front.anchors == front_anchors:
            break
        front_pages, front_anchors = front.pages, front.anchors
    assert front is not None
    return front


def page_numbers(plan: PdfPlan, pages: int) -> RenderedPart:
    """The document of "Page X of Y" footers laid over every page."""
    return render_part(plan.numbers.replace(NUMBERS_PAGE, NUMBERS_PAGE * pages), plan.base_url)


def merge(plan: PdfPlan, front: RenderedPart, rendered: list[RenderedPart], numbers: RenderedPart) -> bytes:
    return merge_parts([front, *rendered], numbers, plan.bookmarks, plan.title, "en-GB")


def assemble(plan: PdfPlan, rendered: list[RenderedPart], probe: RenderedPart | None = None) -> bytes:
    """The front matter, then the page numbers over every page, then one tagged PDF of it
    all (merge_parts), one after another in this process."""
    front = front_matter(plan, rendered, probe)
    return merge(plan, front, rendered, page_numbers(plan, front.pages + sum(p.pages for p in rendered)))


def assemble_in(pool: RendererPool, plan: PdfPlan, rendered: list[RenderedPart], probe: RenderedPart) -> bytes:
    """assemble with the pool's processes: the front matter and the page numbers (whose count
    the probe gives) rendered at the same time, then the merge in one of them, so no process
    holding Django holds the merge's memory too."""
    first, second = pool.renderers[:2]
    pages = probe.pages + sum(part.pages for part in rendered)
    with ThreadPoolExecutor(max_workers=2) as threads:
        front_job = threads.submit(first.call, "front_matter", plan, rendered, probe)
        numbers_job = threads.submit(second.call, "page_numbers", plan, pages)
        front, numbers = front_job.result(), numbers_job.result()
    if front.pages != probe.pages:  # the contents took another page after all: count again
        numbers = second.call("page_numbers", plan, front.pages + sum(part.pages for part in rendered))
    return (pool.spare or first).call("merge", plan, front, rendered, numbers)


def default_processes() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class Bookmark:
    title: str
    anchor: str
    level: int  # 0: a part or section, 1: a table within it


def merge_parts(
    parts: list[RenderedPart],
    numbers: RenderedPart | None,
    bookmarks: list[Bookmark],
    title: str,
    language: str,
) -> bytes:
    """One PDF of the parts in order: their pages, one structure tree made of theirs, named
    destinations for every id (so the contents page's links land), bookmarks, and each
    page's footer of `numbers` (a document of as many pages, holding only "Page X of Y")
    laid over it.

    pikepdf (qpdf) rather than pypdf: a tagged annex is tens of thousands of structure
    elements, which pypdf took about as long to copy as WeasyPrint took to draw."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    merged = pikepdf.new()
    document = merged.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document))
    struct_root = merged.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document.P = struct_root
    kids = Array()
    nums = Array()
    role_map = Dictionary()
    next_key = 0
    destinations: dict[str, int] = {}
    sources = []  # kept open until the merged file is written: qpdf copies lazily
    for part in parts:
        source = pikepdf.open(io.BytesIO(part.pdf))
        sources.append(source)
        start = len(merged.pages)
        for name, index in part.anchors.items():
            destinations.setdefault(name, start + index)
        if start == 0 and Name.Metadata in source.Root:
            merged.Root.Metadata = merged.copy_foreign(source.Root.Metadata)
        # Pages first: the structure tree copied afterwards then refers to these copies
        # (qpdf maps each source object to one copy).
        with warnings.catch_warnings():  # named destinations are rebuilt below, for every part's ids
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # type: ignore[attr-defined]
            merged.pages.extend(source.pages)
        for page in merged.pages[start:]:
            if Name.StructParents in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + next_key
            for annotation in page.obj.get(Name.Annots, Array()):
                if Name.StructParent in annotation:
                    annotation.StructParent = int(annotation.StructParent) + next_key
        if Name.StructTreeRoot not in source.Root:
            continue
        tree = merged.copy_foreign(source.Root.StructTreeRoot)
        for key, value in tree.get(Name.RoleMap, Dictionary()).items():
            role_map[key] = value
        top = tree.K
        for element in top if isinstance(top, Array) else [top]:
            children = element.get(Name.K) if element.get(Name.S) == Name.Document else None
            if children is None:
                element.P = document
                kids.append(element)
                continue
            for child in children if isinstance(children, Array) else [children]:
                if isinstance(child, Dictionary):
                    child.P = document
                kids.append(child)
        highest = -1
        for key, value in _number_tree_items(tree.get(Name.ParentTree)):
            nums.append(key + next_key)
            nums.append(value)
            highest = max(highest, key)
        next_key += max(int(tree.get(Name.ParentTreeNextKey, highest + 1)), highest + 1)
    document.K = kids
    struct_root.K = document
    struct_root.ParentTree = merged.make_indirect(Dictionary(Nums=nums))
    struct_root.ParentTreeNextKey = next_key
    if len(role_map):
        struct_root.RoleMap = role_map
    merged.Root.StructTreeRoot = struct_root
    merged.Root.MarkInfo = Dictionary(Marked=True)
    merged.Root.Lang = String(language)
    merged.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    merged.docinfo[Name.Title] = String(title)
    if numbers is not None:
        footers = pikepdf.open(io.BytesIO(numbers.pdf))
        sources.append(footers)
        for page, footer in zip(merged.pages, footers.pages, strict=False):
            page.add_overlay(footer)
    names = Array()
    for name in sorted(destinations):
        names.append(String(name))
        names.append(Array([merged.pages[destinations[name]].obj, Name.Fit]))
    merged.Root.Names = Dictionary(Dests=merged.make_indirect(Dictionary(Names=names)))
    with merged.open_outline() as outline:
        parents: list = []
        for bookmark in bookmarks:
            if bookmark.anchor not in destinations:
                continue
            item = pikepdf.OutlineItem(bookmark.title, destinations[bookmark.anchor])
            del parents[bookmark.level :]
            (parents[-1].children if parents else outline.root).append(item)
            parents.append(item)
    merged.Root.PageMode = Name.UseOutlines
    out = io.BytesIO()
    # Object streams: the structure tree's tens of thousands of small objects compressed
    # together (7 MB → 1.7 MB for the 350-file annex, and faster to write).
    merged.save(
        out,
        min_version=max((s.pdf_version for s in sources), default="1.7"),
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    for source in sources:
        source.close()
    return out.getvalue()


def _number_tree_items(node) -> Iterable[tuple[int, object]]:
    """(key, value) pairs of a PDF number tree, leaves in order."""
    if node is None:
        return
    pairs = node.get("/Nums")
    if pairs is not None:
        for i in range(0, len(pairs), 2):
            yield int(pairs[i]), pairs[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree_items(kid)


def render_pdf_here(
    plan: PdfPlan,
    processes: int,
    done: Callable[[int, int], None] = lambda n, total: None,
    pool: RendererPool | None = None,
) -> bytes:
    """The whole PDF on this machine: the parts (and the front matter's probe) in
    `processes` child processes (the pool's, if given, already warm), then the assembly in
    child processes too, so that no process holds both the caller's memory (Django, the
    counting) and a layout's or the merge's."""
    if pool is None and processes > 1:
        with RendererPool(processes, spare=True) as own:
            return render_pdf_here(plan, processes, done, own)
    *rendered, probe = render_parts(
        [*plan.parts, front_probe(plan)], plan.base_url, processes, lambda n, total: done(n, total), pool
    )
    if pool is None or len(pool.renderers) < 2:
        return assemble(plan, rendered, probe)
    return assemble_in(pool, plan, rendered, probe)


def assemble_elsewhere(plan: PdfPlan, rendered: list[RenderedPart], probe: RenderedPart | None = None) -> bytes:
    """assemble in child processes (two where the machine has two cores: the front matter
    and the page numbers at once): the merge holds every part's structure tree (about
    160 MB for the full annex), which the caller's process, holding Django, need not carry
    for ever after."""
    if probe is not None and default_processes() >= 2:
        with RendererPool(2) as pool:
            return assemble_in(pool, plan, rendered, probe)
    renderer = _Renderer()
    try:
        return renderer.call("assemble", plan, rendered, probe)
    finally:
        renderer.close()


CHILD_FUNCTIONS = {
    "render_part": render_part,
    "assemble": assemble,
    "front_matter": front_matter,
    "page_numbers": page_numbers,
    "merge": merge,
}


def serve() -> None:
    """A child of render_parts: (function, args) in, its result out, until EOF."""
    while True:
        try:
            function, args = _receive(sys.stdin.buffer)
        except EOFError:
            break
        _send(sys.stdout.buffer, CHILD_FUNCTIONS[function](*args))


if __name__ == "__main__":
    # From the module itself rather than __main__, so what is sent back unpickles as
    # reports.pdf_parts' classes in the parent.
    from reports.pdf_parts import serve as serve_here

    serve_here()
