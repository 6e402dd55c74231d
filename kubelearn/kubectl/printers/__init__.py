"""Pure printers: plain data in, kubectl's exact bytes out.

Nothing here knows about the cluster; each module ports one piece of
kubectl / client-go / go-yaml output code so the simulator prints what real
kubectl v1.32 prints.
"""

from .customcolumns import CustomColumnsError, render_custom_columns
from .duration import human_duration, short_human_duration
from .jsonout import to_json
from .jsonpath import JSONPathError, render_jsonpath
from .name import kind_display, name_line
from .tabwriter import TabWriter, format_table, format_text, print_table
from .yamlout import list_wrapper, to_yaml

__all__ = ["CustomColumnsError", "JSONPathError", "TabWriter", "format_table", "format_text",
           "human_duration", "kind_display", "list_wrapper", "name_line", "print_table",
           "render_custom_columns", "render_jsonpath", "short_human_duration", "to_json",
           "to_yaml"]
