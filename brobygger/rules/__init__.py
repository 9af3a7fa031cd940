"""Rules as code for Brobygger: eligibility, durations, grant amounts, deadlines and quality rules.

Pure Python: nothing here imports Django or another Brobygger app. Every rule takes a frozen input dataclass with
an explicit evaluation date and a `RuleVersion`, and returns a `RuleResult` with its reasons. The numbers of the
law live in the dated YAML files in `parameters/`. See README.md; our reading of the sources is docs/domain.md.
"""

from .base import Reason, RuleInputError, RuleResult, RuleVersion
from .catalog import CATALOG, InputField, RuleSpec, UnknownRuleError, describe_inputs, evaluate, get_rule
from .parameters import validate_parameters
from .versions import all_versions, get_version, resolve_version, select_version

__all__ = [
    "CATALOG",
    "InputField",
    "Reason",
    "RuleInputError",
    "RuleResult",
    "RuleSpec",
    "RuleVersion",
    "UnknownRuleError",
    "all_versions",
    "describe_inputs",
    "evaluate",
    "get_rule",
    "get_version",
    "resolve_version",
    "select_version",
    "validate_parameters",
]
