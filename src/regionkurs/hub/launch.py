"""Launch links: open an exercise on the course's JupyterHub through nbgitpuller.

nbgitpuller clones (or updates) the course repository in the user's home, then
opens the learner's Swedish page for that exercise (``regionkurs/uppgifter/fNN``,
served by :mod:`regionkurs.hub.uppgifter`): there the learner opens the exercise
as the app (Voilà) or in JupyterLab, as the hub is set up, and, in a graded
cohort, fetches it, hands it in and fetches the feedback.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

PAGE = "regionkurs/uppgifter"


class HubConfigError(ValueError):
    """The hub settings in _config.yml are incomplete or malformed."""


@dataclass(frozen=True)
class HubSettings:
    url: str  # the hub's address, e.g. https://jupyter.example.se
    repository: str  # the git repository nbgitpuller clones for each user
    branch: str = "main"

    @classmethod
    def from_config(cls, url: str, repository: str, branch: str) -> HubSettings | None:
        """None when no hub address is set (no button); an error when it is set but incomplete."""
        url = (url or "").strip().rstrip("/")
        if not url:
            return None
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise HubConfigError(f"regionkurs_hub_url {url!r} is not an http(s) address")
        if not (repository or "").strip():
            raise HubConfigError("regionkurs_hub_url is set but regionkurs_hub_repository is empty: "
                                 "nbgitpuller needs the repository to clone")
        if not (branch or "").strip():
            raise HubConfigError("regionkurs_hub_branch is empty")
        return cls(url, repository.strip(), branch.strip())

    @property
    def folder(self) -> str:
        """The folder in the user's home that nbgitpuller clones into."""
        name = self.repository.rstrip("/").split("/")[-1]
        return name.removesuffix(".git") or "kurs"

    def launch_url(self, assignment: str) -> str:
        """The nbgitpuller link that opens the learner's page for ``assignment`` (e.g. ``f01``)."""
        query = urlencode({"repo": self.repository, "branch": self.branch, "targetpath": self.folder,
                           "urlpath": f"{PAGE}/{assignment}"})
        return f"{self.url}/hub/user-redirect/git-pull?{query}"
