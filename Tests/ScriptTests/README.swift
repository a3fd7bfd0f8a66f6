// The ScriptTests target; its tests are one file per topic beside this one.
