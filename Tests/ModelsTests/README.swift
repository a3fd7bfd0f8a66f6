// The ModelsTests target; its tests are one file per topic beside this one.
