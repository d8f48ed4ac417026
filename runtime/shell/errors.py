"""The one exception the shell shows as a single line (`! …`) and then carries on."""


class ShellError(Exception):
    pass
