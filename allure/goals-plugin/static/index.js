'use strict';
// The Overview widget that shows heavykv's goals first: each goal per model with its measured value, threshold,
// margin and its values over the last runs. Its data is widgets/goals.json, written by ci/goals.py.
(function () {
    var escape = function (text) {
        return String(text).replace(/[&<>"']/g, function (c) {
            return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
        });
    };
    var number = function (x) {
        return x === null || x === undefined ? '-' : Number(x).toPrecision(4).replace(/\.?0+$/, '');
    };
    var percent = function (x) {
        return x === null || x === undefined ? '-' : (x >= 0 ? '+' : '') + (100 * x).toFixed(1) + '%';
    };
    var colour = {passed: '#97cc64', failed: '#fd5a3e', skipped: '#aaaaaa'};

    // A small line of the goal's values over the last runs, with its threshold as a dashed line.
    var sparkline = function (item) {
        var values = (item.trend || []).map(function (t) { return t.value; }).filter(function (v) { return v !== null; });
        if (values.length < 2) return values.length === 1 ? 'first run' : '';
        var all = values.concat(item.threshold === null ? [] : [item.threshold]);
        var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all), span = (hi - lo) || 1;
        var x = function (i) { return 2 + i * 96 / (values.length - 1); };
        var y = function (v) { return 22 - (v - lo) * 20 / span; };
        var points = values.map(function (v, i) { return x(i).toFixed(1) + ',' + y(v).toFixed(1); }).join(' ');
        var line = item.threshold === null ? '' : '<line x1="0" x2="100" y1="' + y(item.threshold).toFixed(1) + '" y2="'
            + y(item.threshold).toFixed(1) + '" stroke="#999" stroke-dasharray="3,2"/>';
        return '<svg width="100" height="24" title="' + escape(values.map(number).join(', ')) + '">' + line
            + '<polyline fill="none" stroke="#333" stroke-width="1.5" points="' + points + '"/></svg>';
    };

    var render = function (data) {
        var rows = (data.items || []).map(function (item) {
            return '<tr title="' + escape(item.message) + '">'
                + '<td><span style="display:inline-block;width:10px;height:10px;border-radius:5px;background:'
                + (colour[item.status] || '#aaa') + '"></span> ' + escape(item.name) + '</td>'
                + '<td>' + escape(item.model) + '</td>'
                + '<td style="text-align:right">' + number(item.value) + '</td>'
                + '<td>' + escape(item.direction) + ' ' + number(item.threshold) + '</td>'
                + '<td style="text-align:right">' + percent(item.margin) + '</td>'
                + '<td>' + sparkline(item) + '</td></tr>';
        }).join('');
        return '<h2 class="widget__title">Goals</h2>'
            + '<table class="table" style="width:100%;font-size:13px"><thead><tr><th>goal</th><th>model</th>'
            + '<th>measured</th><th>threshold</th><th>margin</th><th>last runs</th></tr></thead><tbody>'
            + rows + '</tbody></table>'
            + '<div style="color:#888;font-size:12px">The worst value of each goal\'s scenarios (hover a row for which);'
            + ' every goal is also a test under the "1. Goals" behavior.</div>';
    };

    var View = Object.getPrototypeOf(allure.components.WidgetStatusView.prototype).constructor;
    allure.api.addWidget('widgets', 'goals', View.extend({
        template: render,
        serializeData: function () { return this.model.toJSON(); }
    }));

    // Widgets are laid out in the order they were added, and plugins come after Allure's own: move ours first.
    var widgets = allure.api.widgets.widgets;
    Object.keys(widgets).filter(function (name) { return name !== 'goals'; }).forEach(function (name) {
        var widget = widgets[name];
        delete widgets[name];
        widgets[name] = widget;
    });
}());
