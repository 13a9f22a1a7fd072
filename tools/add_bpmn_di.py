"""Write the BPMN DI (diagram layout) section of a BPMN file.

Dev-time tool: the process models in bpmn/ are written by hand as XML; this script
computes a simple left-to-right layout so that bpmn-js can draw them with pools and lanes.

    python tools/add_bpmn_di.py bpmn/funding_call.bpmn [more files...]

Layout rules (deliberately simple and predictable):
- Each flow node gets a column (its longest distance from a start event, ignoring loop-back
  flows) and a row inside its lane; a node prefers the row of its first predecessor in the
  same lane, so the main path stays on one line. Paths leaving a boundary event are laid out
  after the main path, so they take the lower rows.
- Boundary events sit on the bottom edge of their host task.
- Sequence flows are routed orthogonally; loop-back flows run along the top of the lane.
- A participant without processRef (the other process, as a black box) becomes a collapsed
  pool below the expanded one; message flows are vertical lines to it.
Any existing bpmndi:BPMNDiagram is replaced; the semantic part of the file is not touched.
"""
import sys
from collections import defaultdict

from lxml import etree

NS = {
    'bpmn': 'http://www.omg.org/spec/BPMN/20100524/MODEL',
    'bpmndi': 'http://www.omg.org/spec/BPMN/20100524/DI',
    'dc': 'http://www.omg.org/spec/DD/20100524/DC',
    'di': 'http://www.omg.org/spec/DD/20100524/DI',
}
COL_W, ROW_H = 170, 130          # grid cell size
POOL_LABEL_W, LANE_LABEL_W = 30, 30
LANE_PAD_TOP = 30                # gutter for loop-back flows
BLACK_BOX_H, POOL_GAP = 60, 60
SIZES = {'task': (100, 80), 'event': (36, 36), 'gateway': (50, 50)}
NOT_FLOW_NODES = {'sequenceFlow', 'laneSet', 'dataObject', 'dataObjectReference', 'dataStoreReference',
                  'textAnnotation', 'association', 'boundaryEvent'}


def q(tag):
    prefix, name = tag.split(':')
    return '{%s}%s' % (NS[prefix], name)


def kind(el):
    name = etree.QName(el).localname
    if name.endswith('Event'):
        return 'event'
    if name.endswith('Gateway'):
        return 'gateway'
    return 'task'


class Box:
    def __init__(self, x, y, w, h):
        self.x, self.y, self.w, self.h = x, y, w, h

    @property
    def cx(self):
        return self.x + self.w / 2

    @property
    def cy(self):
        return self.y + self.h / 2


def layout_process(process, top):
    """Returns (boxes by id, lane boxes by id, edges waypoints by flow id, width, height)."""
    nodes = [el for el in process if isinstance(el.tag, str)
             and etree.QName(el).namespace == NS['bpmn']
             and etree.QName(el).localname not in NOT_FLOW_NODES
             and etree.QName(el).localname not in ('documentation', 'extensionElements')]
    node_ids = [n.get('id') for n in nodes]
    boundaries = process.findall(q('bpmn:boundaryEvent'))
    host_of = {b.get('id'): b.get('attachedToRef') for b in boundaries}
    flows = process.findall(q('bpmn:sequenceFlow'))
    out = defaultdict(list)
    for f in flows:
        out[f.get('sourceRef')].append(f)

    lanes = process.findall('.//' + q('bpmn:lane'))
    lane_of = {}
    for lane in lanes:
        for ref in lane.findall(q('bpmn:flowNodeRef')):
            lane_of[ref.text] = lane.get('id')
    lane_ids = [lane.get('id') for lane in lanes] or ['_no_lane']
    for node_id in node_ids + list(host_of):
        lane_of.setdefault(node_id, lane_of.get(host_of.get(node_id), lane_ids[0]))

    # Depth-first search from the start events: finds loop-back flows and a visiting order
    # in which the normal path comes before paths leaving boundary events.
    starts = [n.get('id') for n in nodes if etree.QName(n).localname == 'startEvent'] or node_ids[:1]
    order, back, state = [], set(), {}

    def successors(node_id):
        result = [f for f in out[node_id]]
        for b_id, host in host_of.items():
            if host == node_id:
                result.append(('boundary', b_id))
        return result

    def visit(node_id):
        state[node_id] = 'open'
        order.append(node_id)
        for item in successors(node_id):
            if isinstance(item, tuple):
                target, flow = item[1], None
            else:
                target, flow = item.get('targetRef'), item
            if state.get(target) == 'open':
                back.add(flow.get('id'))
            elif target not in state:
                visit(target)
        state[node_id] = 'done'

    sys.setrecursionlimit(10000)
    for s in starts:
        if s not in state:
            visit(s)
    for node_id in node_ids + list(host_of):
        if node_id not in state:
            visit(node_id)

    # Columns: longest path over the forward flows (a boundary event shares its host's column).
    col = {n: 0 for n in order}
    for _ in range(len(order)):
        changed = False
        for f in flows:
            if f.get('id') in back:
                continue
            s, t = f.get('sourceRef'), f.get('targetRef')
            if col[t] < col[s] + 1:
                col[t] = col[s] + 1
                changed = True
        for b_id, host in host_of.items():
            if col[b_id] != col[host]:
                col[b_id] = col[host]
                changed = True
        if not changed:
            break

    # Rows inside lanes: prefer the first predecessor's row, else the next free row.
    preds = defaultdict(list)
    for f in flows:
        if f.get('id') not in back:
            preds[f.get('targetRef')].append(f.get('sourceRef'))
    row, taken = {}, set()
    for node_id in order:
        if node_id in host_of:
            continue
        lane = lane_of[node_id]
        wanted = 0
        for p in preds[node_id]:
            below = 1 if p in host_of else 0    # paths leaving a boundary event go one row down
            p = host_of.get(p, p)
            if p in row and lane_of[p] == lane:
                wanted = row[p] + below
                break
        # the cells from the predecessor's column to this node must be free: a long
        # horizontal flow must not run through other nodes
        first_col = min([col[host_of.get(p, p)] + 1 for p in preds[node_id]] + [col[node_id]])
        span = range(min(first_col, col[node_id]), col[node_id] + 1)
        while any((lane, c, wanted) in taken for c in span):
            wanted += 1
        row[node_id] = wanted
        taken.update((lane, c, wanted) for c in span)
    for b_id, host in host_of.items():
        row[b_id] = row[host]

    rows_in_lane = {lane: 1 + max([row[n] for n in row if lane_of[n] == lane] or [0]) for lane in lane_ids}
    ncols = 1 + max(col.values())
    width = POOL_LABEL_W + LANE_LABEL_W + ncols * COL_W + 40
    left = POOL_LABEL_W + LANE_LABEL_W + 20

    lane_boxes, lane_top, y = {}, {}, top
    for lane in lane_ids:
        h = LANE_PAD_TOP + rows_in_lane[lane] * ROW_H
        lane_boxes[lane] = Box(POOL_LABEL_W, y, width - POOL_LABEL_W, h)
        lane_top[lane] = y
        y += h
    height = y - top

    boxes = {}
    for node_id in order:
        if node_id in host_of:
            continue
        el = process.find('.//*[@id="%s"]' % node_id)
        w, h = SIZES[kind(el)]
        cx = left + col[node_id] * COL_W + COL_W / 2
        cy = lane_top[lane_of[node_id]] + LANE_PAD_TOP + row[node_id] * ROW_H + ROW_H / 2
        boxes[node_id] = Box(cx - w / 2, cy - h / 2, w, h)
    for b_id, host in host_of.items():
        hb = boxes[host]
        boxes[b_id] = Box(hb.x + hb.w - 36 - 12, hb.y + hb.h - 18, 36, 36)

    edges = {}
    for f in flows:
        s, t = boxes[f.get('sourceRef')], boxes[f.get('targetRef')]
        if f.get('id') in back:
            gutter = lane_top[lane_of[f.get('targetRef')]] + 12
            goes_up = [g for g in out[f.get('sourceRef')] if g.get('id') not in back
                       and boxes[g.get('targetRef')].cy < s.cy]
            if goes_up and kind(process.find('.//*[@id="%s"]' % f.get('sourceRef'))) == 'gateway':
                # the top corner is taken by a forward flow: loop back below instead
                lane_box = lane_boxes[lane_of[f.get('sourceRef')]]
                below = lane_box.y + lane_box.h - 12
                edges[f.get('id')] = [(s.cx, s.y + s.h), (s.cx, below), (t.cx, below), (t.cx, t.y + t.h)]
            else:
                start = (s.cx, s.y) if gutter < s.y else (s.cx, s.y + s.h)
                edges[f.get('id')] = [start, (s.cx, gutter), (t.cx, gutter), (t.cx, t.y)]
        elif f.get('sourceRef') in host_of:
            edges[f.get('id')] = [(s.cx, s.y + s.h), (s.cx, t.cy), (t.x, t.cy)]
        elif abs(s.cy - t.cy) < 1:
            edges[f.get('id')] = [(s.x + s.w, s.cy), (t.x, t.cy)]
        elif t.x > s.x + s.w:
            # leave sideways, turn just before the target column
            bend = t.x - 25
            if etree.QName(process.find('.//*[@id="%s"]' % f.get('sourceRef'))).localname.endswith('Gateway'):
                start = (s.cx, s.y + s.h) if t.cy > s.cy else (s.cx, s.y)
                edges[f.get('id')] = [start, (s.cx, t.cy), (t.x, t.cy)]
            else:
                edges[f.get('id')] = [(s.x + s.w, s.cy), (bend, s.cy), (bend, t.cy), (t.x, t.cy)]
        else:
            edges[f.get('id')] = [(s.cx, s.y + s.h if t.cy > s.cy else s.y), (s.cx, t.cy), (t.x if t.cx > s.cx else t.x + t.w, t.cy)]
    return boxes, lane_boxes, edges, width, height


def add_shape(plane, element_id, box, **attrs):
    shape = etree.SubElement(plane, q('bpmndi:BPMNShape'), id=element_id + '_di', bpmnElement=element_id)
    for k, v in attrs.items():
        shape.set(k, v)
    etree.SubElement(shape, q('dc:Bounds'), x=fmt(box.x), y=fmt(box.y), width=fmt(box.w), height=fmt(box.h))
    return shape


def add_edge(plane, element_id, points):
    edge = etree.SubElement(plane, q('bpmndi:BPMNEdge'), id=element_id + '_di', bpmnElement=element_id)
    for x, y in points:
        etree.SubElement(edge, q('di:waypoint'), x=fmt(x), y=fmt(y))


def fmt(v):
    return str(int(round(v)))


def add_di(path):
    tree = etree.parse(path, etree.XMLParser(remove_blank_text=False))
    root = tree.getroot()
    for old in root.findall(q('bpmndi:BPMNDiagram')):
        root.remove(old)
    collaboration = root.find(q('bpmn:collaboration'))
    diagram = etree.SubElement(root, q('bpmndi:BPMNDiagram'), id='diagram')
    plane = etree.SubElement(diagram, q('bpmndi:BPMNPlane'), id='plane',
                             bpmnElement=collaboration.get('id') if collaboration is not None
                             else root.find(q('bpmn:process')).get('id'))
    participants = collaboration.findall(q('bpmn:participant')) if collaboration is not None else []
    all_boxes, y, total_w = {}, 20, 0
    black_boxes = []
    for participant in participants:
        if participant.get('processRef') is None:
            black_boxes.append(participant)
            continue
        process = root.find('%s[@id="%s"]' % (q('bpmn:process'), participant.get('processRef')))
        boxes, lane_boxes, edges, w, h = layout_process(process, y)
        add_shape(plane, participant.get('id'), Box(0, y, w, h), isHorizontal='true')
        for lane_id, box in lane_boxes.items():
            if lane_id != '_no_lane':
                add_shape(plane, lane_id, box, isHorizontal='true')
        for node_id, box in boxes.items():
            if process.find('%s[@id="%s"]' % (q('bpmn:boundaryEvent'), node_id)) is None:
                add_shape(plane, node_id, box)
        for node_id, box in boxes.items():   # boundary events after their hosts (drawn on top)
            if process.find('%s[@id="%s"]' % (q('bpmn:boundaryEvent'), node_id)) is not None:
                add_shape(plane, node_id, box)
        for flow_id, points in edges.items():
            add_edge(plane, flow_id, points)
        all_boxes.update(boxes)
        y += h + POOL_GAP
        total_w = max(total_w, w)
    if not participants:
        process = root.find(q('bpmn:process'))
        boxes, lane_boxes, edges, w, h = layout_process(process, y)
        for node_id, box in boxes.items():
            add_shape(plane, node_id, box)
        for flow_id, points in edges.items():
            add_edge(plane, flow_id, points)
    for participant in black_boxes:
        box = Box(0, y, total_w, BLACK_BOX_H)
        add_shape(plane, participant.get('id'), box, isHorizontal='true')
        all_boxes[participant.get('id')] = box
        y += BLACK_BOX_H + POOL_GAP
    if collaboration is not None:
        for flow in collaboration.findall(q('bpmn:messageFlow')):
            s, t = all_boxes[flow.get('sourceRef')], all_boxes[flow.get('targetRef')]
            if flow.get('sourceRef') in [p.get('id') for p in black_boxes]:
                x = t.cx
                points = [(x, s.y), (x, t.y + t.h)] if s.y > t.y else [(x, s.y + s.h), (x, t.y)]
            else:
                x = s.cx
                points = [(x, s.y + s.h), (x, t.y)] if t.y > s.y else [(x, s.y), (x, t.y + t.h)]
            add_edge(plane, flow.get('id'), points)
    etree.indent(diagram, space='  ', level=1)
    diagram.tail = '\n'
    prev = diagram.getprevious()
    if prev is not None:
        prev.tail = '\n  '
    with open(path, 'w', encoding='utf-8') as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(etree.tostring(root, encoding='unicode'))
        out.write('\n')


if __name__ == '__main__':
    for file_path in sys.argv[1:]:
        add_di(file_path)
        print('wrote DI to', file_path)
