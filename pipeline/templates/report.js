// Draws the report's plotly figures from the JSON block #zhclean-data (data, never code).
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("zhclean-data").textContent);
  var options = { displaylogo: false, responsive: true,
                  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  var ids = Object.keys(payload.figures);
  var drawn = ids.map(function (id) {
    var fig = payload.figures[id];
    fig.layout.template = payload.template;
    // Responsive plots take their container's height on window resize: give it the figure's.
    if (fig.layout.height) {
      document.getElementById(id).style.height = fig.layout.height + "px";
    }
    return Plotly.newPlot(id, fig.data, fig.layout, options);
  });
  Promise.all(drawn).then(function () {
    document.body.setAttribute("data-charts-drawn", String(ids.length));
  });
})();
